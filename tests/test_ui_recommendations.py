"""The « Préconisations » and « Précédents » tabs in a real headless chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS


@pytest.mark.browser
def test_recommendation_tabs_show_statuses_history_and_precedents(ui_page: Page) -> None:
    page = ui_page
    expect(page.locator("#conversation")).to_be_visible()  # the chat stays the first tab

    page.get_by_role("tab", name="Préconisations").click()
    table = page.locator("#rec-table")
    expect(table.get_by_text("HR-2016-P05").first).to_be_visible(timeout=60_000)
    table.get_by_text("HR-2016-P05").first.click()
    details = page.locator("#rec-details")
    expect(details.get_by_text("Historique des statuts")).to_be_visible(timeout=60_000)
    expect(details.get_by_text("page", exact=False).first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "ui-recommendations.png"), full_page=True)

    page.get_by_role("tab", name="Précédents").click()
    page.locator("#prec-query textarea").fill("répit des aidants et accueil temporaire")
    page.locator("#prec-search").click()
    results = page.locator("#prec-results")
    expect(results.get_by_text("Préconisations proches")).to_be_visible(timeout=60_000)
    expect(results.get_by_text("termes communs").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "ui-precedents.png"), full_page=True)
