"""The pages at a phone's width (390 x 844) and at a laptop's (1366 px), measured in a real
browser: the header folds its menu behind a button and leaves the screen to the page, the
report's save bar stays small, the to-do table keeps its deadline and state in view, and the
program portfolio fits a laptop without scrolling sideways.

Debian's chromium through Playwright against pytest-django's live server (tests/e2e/conftest.py
has the `rolled` world). A missing browser fails the test in CI.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from monitoring.reports.services import report_open
from scorecards.models import Period
from tests.e2e.browser import launch, sign_in, watch_problems
from tests.programs.conftest import money  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCREENSHOTS = Path("/tmp")


@pytest.fixture
def draft(rolled, money):  # noqa: F811
    world = rolled
    world.draft = report_open(cluster=world.inside, period=Period.objects.get(year=2025, quarter=2))
    return world


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def test_a_phone_gets_a_folded_menu_a_small_save_bar_and_the_key_columns(draft, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "bso", draft.draft.get_absolute_url())
            page.screenshot(path=str(SCREENSHOTS / "phone_report.png"))

            # The menu folds behind its button: the header takes a row, not a third of the screen.
            header = page.locator(".site-header")
            activities = header.get_by_role("link", name="Activities")
            expect(activities).to_be_hidden()
            assert box(page, ".site-header")["height"] <= 80
            toggle = header.get_by_role("button", name="Menu")
            expect(toggle).to_have_attribute("aria-expanded", "false")
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(activities).to_be_visible()
            toggle.click()
            expect(activities).to_be_hidden()

            # The sticky save bar holds both buttons on one row.
            assert box(page, ".form-actions")["height"] <= 72
            save, submit = box(page, "button[name=save]"), box(page, "button[name=submit]")
            assert save["y"] == submit["y"]

            # The to-do table keeps the deadline and the state on screen.
            page.goto(f"{live_server.url}/dashboards/bso/")
            page.screenshot(path=str(SCREENSHOTS / "phone_todo.png"), full_page=True)
            for heading in ("Deadline", "State"):
                cell = box(page, f".todo-table th:has-text('{heading}')")
                assert cell["x"] + cell["width"] <= PHONE["width"], heading
            assert problems == []
        finally:
            browser.close()


def test_the_program_portfolio_fits_a_laptop_screen(draft, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=LAPTOP)
            sign_in(page, live_server.url, "admin", "/programs/")
            page.screenshot(path=str(SCREENSHOTS / "laptop_portfolio.png"), full_page=True)
            expect(page.locator(".portfolio-table")).to_be_visible()
            wrap = page.locator(".portfolio-table").locator("xpath=..")
            overflow = wrap.evaluate("element => element.scrollWidth - element.clientWidth")
            assert overflow <= 0
            # the menu is a row on a wide screen: no Menu button
            expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        finally:
            browser.close()
