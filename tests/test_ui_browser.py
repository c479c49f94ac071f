"""The chat UI in a real headless chromium (Debian package), driven by Playwright."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ARTIFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.mark.browser
def test_ui_answers_with_citations(server: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        page.goto(f"{server}/ui/", wait_until="networkidle")
        expect(page.get_by_text("Base de connaissances des diagnostics")).to_be_visible()
        page.locator("#question textarea").fill(
            "Quelles ruptures de parcours le diagnostic a-t-il relevées ?"
        )
        page.locator("#send").click()
        chat = page.locator("#conversation")
        expect(chat.get_by_text("Sources")).to_be_visible(timeout=60_000)
        expect(chat.get_by_text("[1]").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)
        browser.close()
