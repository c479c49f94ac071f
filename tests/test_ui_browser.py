"""The chat UI in a real headless chromium (Debian package), driven by Playwright, against
`dtp-kb serve` over the sample corpus."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS

# Unfiltered, the corpus answers it from another territory's guide; Sud-Garance's budget is
# in its note de cadrage, a Markdown file.
BUDGET = "Quel est le budget du diagnostic ?"


@pytest.mark.browser
def test_ui_answers_with_citations(ui_page: Page) -> None:
    page = ui_page
    expect(page.get_by_text("Base de connaissances des diagnostics")).to_be_visible()
    page.locator("#question textarea").fill(
        "Quelles ruptures de parcours le diagnostic a-t-il relevées ?"
    )
    page.locator("#send").click()
    chat = page.locator("#conversation")
    expect(chat.get_by_text("Sources")).to_be_visible(timeout=60_000)
    expect(chat.get_by_text("[1]").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)


def _cited_territories(page: Page, server: str) -> list[str]:
    """Ask BUDGET; the territory of each document its answer cites."""
    chat = page.locator("#conversation")
    page.locator("#question textarea").fill(BUDGET)
    page.locator("#send").click()
    # Citation links come with the finished answer (its sentences stream in first).
    expect(chat.locator("a.citation").first).to_be_visible(timeout=60_000)
    links = [a.get_attribute("href") or "" for a in chat.locator("a.citation").all()]
    ids = [link.split("/")[3] for link in links]  # /v1/documents/<id>/...
    return [
        httpx.get(f"{server}/v1/documents/{i}", timeout=30).json()["metadata"]["territory"]
        for i in ids
    ]


@pytest.mark.browser
def test_a_chat_filter_narrows_the_answer(ui_page: Page, server: str) -> None:
    """The same question without and with the territory filter: with it, every citation is a
    document of that territory; without, one is not. The note's citation (not a PDF) opens
    the passage in context in a new tab."""
    page = ui_page
    chat = page.locator("#conversation")
    assert set(_cited_territories(page, server)) - {"Sud-Garance"}

    page.locator("#clear").click()
    expect(chat).not_to_contain_text(BUDGET)
    page.locator("#filter-territory input").click()
    page.get_by_role("option", name="Sud-Garance", exact=True).click()
    expect(page.locator("#filter-territory input")).to_have_value("Sud-Garance")
    assert set(_cited_territories(page, server)) == {"Sud-Garance"}
    page.screenshot(path=str(ARTIFACTS / "ui-chat-filter.png"), full_page=True)

    note = chat.locator('a.citation[href*="/passages/"]').first
    expect(note).to_contain_text("Note de cadrage")
    with page.expect_popup() as popup_info:
        note.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.locator("html").get_attribute("lang") == "fr"
    expect(popup.locator("#passage")).to_contain_text("62 000 euros")
    expect(popup.get_by_text("le passage cité est surligné")).to_be_visible()
    popup.screenshot(path=str(ARTIFACTS / "ui-passage-in-context.png"), full_page=True)
