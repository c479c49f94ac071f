"""The chat UI in a real headless chromium (Debian package), driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS


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
