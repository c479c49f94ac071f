"""A coordinator's journey in a real headless chromium against a real `dtp-kb serve`: a key,
an upload through the job queue, a cited answer whose link opens the PDF at its page, a
correction found by the filter, a thumbs-down in the export, a deletion gone from answers.

One server for the module, over an index that starts empty: what is found was uploaded here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect, sync_playwright

from conftest import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, cli, make_settings, serving
from kb.access import AccessStore
from kb.settings import Settings
from pdfs import make_pdf

QUESTION = "Combien de places d'accueil de jour sont prévues à Port-Aubel ?"
PAGES = [
    [
        "Diagnostic territorial partagé 2022, territoire du Val-de-Brume.",
        "Le diagnostic a été conduit avec les associations et les services du territoire.",
    ],
    [
        "Les aidants du Val-de-Brume signalent un manque de solutions de répit.",
        "Douze places d'accueil de jour sont prévues à Port-Aubel pour les aidants épuisés.",
    ],
]
TITLE = "Livret du diagnostic du Val-de-Brume 2022"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Settings]]:
    """A served, empty index and a contributor key for it: (base URL, key, settings)."""
    settings = make_settings(tmp_path_factory.mktemp("ui-documents"))
    key = AccessStore(settings.data_dir).create("coordination-test", "contributeur").key
    with serving(settings, log_name="server-ui-documents.log") as base:
        yield base, key, settings


@pytest.fixture
def page(site: tuple[str, str, Settings]) -> Iterator[Page]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{site[0]}/ui/")
        expect(page.locator("#dtp-header")).to_be_visible(timeout=30_000)
        yield page
        browser.close()


def _pick(page: Page, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _ask(page: Page, question: str) -> None:
    page.get_by_role("tab", name="Questions").click()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


@pytest.mark.browser
def test_a_coordinator_adds_checks_corrects_rates_and_deletes_a_document(
    page: Page, site: tuple[str, str, Settings], tmp_path: Path
) -> None:
    base, key, settings = site
    pdf = make_pdf(tmp_path / "DTP-2022_Val-de-Brume_livret.pdf", PAGES, TITLE)

    # The tab's actions wait for a contributor key.
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#submit")).to_be_disabled()
    page.locator("#api-key input").fill("dtpkb_0000_faux")
    page.locator("#key-check").click()
    expect(page.locator("#key-note")).to_contain_text("Clé refusée")
    expect(page.locator("#submit")).to_be_disabled()
    page.locator("#api-key input").fill(key)
    page.locator("#key-check").click()
    expect(page.locator("#key-note")).to_contain_text("Clé acceptée")
    expect(page.locator("#submit")).to_be_enabled()

    # Upload: the job goes through the queue until « terminé », with what was read.
    page.locator("#upload input[type=file]").set_input_files(str(pdf))
    expect(page.locator("#upload")).to_contain_text(pdf.name)
    page.locator("#submit").click()
    jobs = page.locator("#job-files")
    expect(jobs).to_contain_text("terminé", timeout=180_000)
    expect(jobs).to_contain_text("Val-de-Brume")
    expect(page.locator("#doc-list")).to_contain_text(TITLE)
    expect(page.locator("#edit-territory textarea")).to_have_value("Val-de-Brume")
    page.screenshot(path=str(ARTIFACTS / "ui-documents.png"), full_page=True)

    # A cited answer; its link opens the PDF at the cited page, in a new tab.
    _ask(page, QUESTION)
    chat = page.locator("#conversation")
    expect(chat.get_by_text("Sources")).to_be_visible(timeout=60_000)
    link = chat.locator("a.citation").first
    expect(link).to_have_attribute("target", "_blank")
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/v1/documents/[0-9a-f]+/file#page=2", href), href
    page.screenshot(path=str(ARTIFACTS / "ui-answer-citation.png"), full_page=True)
    responses: list[Response] = []
    page.context.on("response", lambda r: responses.append(r))
    with page.expect_popup() as popup_info:
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state("commit")
    assert popup.url == base + href
    pdf_responses = [r for r in responses if r.url == base + href.split("#")[0]]
    assert pdf_responses, [r.url for r in responses]
    assert pdf_responses[0].status == 200
    assert pdf_responses[0].headers["content-type"] == "application/pdf"
    popup.close()

    # A thumbs-down with a comment, found in `dtp-kb feedback export`.
    chat.get_by_role("button", name="Réponse pas utile").last.click()
    expect(page.locator("#feedback")).to_be_visible()
    page.locator("#feedback-comment textarea").fill("Il manque le calendrier d'ouverture.")
    page.locator("#feedback-send").click()
    expect(page.locator("#feedback-note")).to_contain_text("votre avis est enregistré")
    exported = tmp_path / "feedback.jsonl"
    done = cli(settings, "feedback", "export", "--output", str(exported), "--only-negative")
    assert done.returncode == 0, done.stderr
    questions = [json.loads(line) for line in exported.read_text().splitlines()]
    assert [q["question"] for q in questions] == [QUESTION]
    assert questions[0]["review"]["comment"] == "Il manque le calendrier d'ouverture."
    assert questions[0]["expected"][0]["page"] == 2

    # Correct the territory; the list's filter finds it under the new one.
    page.get_by_role("tab", name="Documents").click()
    page.locator("#edit-territory textarea").fill("Cap-Sénelle")
    page.locator("#save").click()
    expect(page.locator("#edit-note")).to_contain_text("Correction enregistrée")
    _pick(page, "doc-filter-territory", "Cap-Sénelle")
    expect(page.locator("#doc-count")).to_contain_text("1 document(s) sur 1")
    expect(page.locator("#doc-list")).to_contain_text("Cap-Sénelle")

    # Delete it, after a confirmation; it is gone from the list and from answers.
    page.locator("#delete").click()
    # Gradio gives the group's outer and inner blocks the same id: the outer one.
    expect(page.locator("#delete-confirm").first).to_contain_text("Supprimer définitivement")
    page.screenshot(path=str(ARTIFACTS / "ui-delete-confirm.png"), full_page=True)
    page.locator("#delete-yes:visible").click()
    expect(page.locator("#edit-note")).to_contain_text("a été supprimé")
    expect(page.locator("#doc-list")).not_to_contain_text(TITLE)
    page.get_by_role("tab", name="Questions").click()
    page.locator("#clear").click()
    expect(chat).not_to_contain_text(QUESTION)
    _ask(page, QUESTION)
    expect(chat).not_to_contain_text("…", timeout=60_000)
    expect(chat).to_contain_text(QUESTION)
    expect(chat).not_to_contain_text("Sources")
    expect(chat.locator("a.citation")).to_have_count(0)
