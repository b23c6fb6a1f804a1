"""The filter bars (templates/_filter_bar.html) in a real browser at a phone's width: the
directory and the program portfolio filter with their selects, a refused value shows its error
beside its control, and no control runs off the screen.

Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright

from programs.models import Program
from tests.e2e.browser import launch, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    """Every control of the bar lies inside the viewport: nothing to scroll sideways to."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const off = [...document.querySelectorAll('form.filters .field')]
                .filter(f => f.getBoundingClientRect().right > width + 0.5)
                .map(f => f.querySelector('label')?.textContent);
            return {off, scroll: document.documentElement.scrollWidth - width};
        }"""
    )
    assert overflow == {"off": [], "scroll": 0}


def _filter_by(page, control: str, url: str, **option) -> None:
    page.get_by_label(control).select_option(**option)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(url))


def _lists(table, shown: str, left_out: str) -> None:
    expect(table.get_by_role("link", name=shown)).to_be_visible()
    expect(table.get_by_role("link", name=left_out)).to_have_count(0)


def _refused(page, table, field: str, message: str) -> None:
    """The bar says the filters were not applied, the control carries its error, no rows."""
    expect(page.get_by_role("alert")).to_contain_text("could not be applied")
    expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#id_{field}_error")).to_contain_text(message)
    expect(table).to_have_count(0)
    _fits_the_screen(page)


def test_the_directory_filter_bar_works_at_a_phones_width(world, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/directory/")
            table = page.locator("table.directory-table")
            _fits_the_screen(page)

            _filter_by(page, "Country", r"country=EC", label="Ecuador")
            _lists(table, "Atuntaqui garments", "Mendoza wine")

            # A country code no select offers: the error, beside the control, and no rows.
            page.goto(f"{live_server.url}/directory/?country=ZZ")
            _refused(page, table, "country", "ZZ is not one of the available choices")

            # Choosing a real one from the same bar recovers.
            _filter_by(page, "Country", r"country=AR", label="Argentina")
            expect(page.get_by_role("alert")).to_have_count(0)
            _lists(table, "Mendoza wine", "Atuntaqui garments")

            # The BSO tab keeps its tab through the bar and its Clear link.
            page.goto(f"{live_server.url}/directory/?show=bsos")
            page.get_by_label("Search").fill("bodegas")
            page.get_by_role("button", name="Filter").click()
            expect(page).to_have_url(re.compile(r"show=bsos.*q=bodegas"))
            page.get_by_role("link", name="Clear").click()
            expect(page).to_have_url(re.compile(r"/directory/\?show=bsos$"))
            page.screenshot(path="/tmp/directory_phone.png", full_page=True)
        finally:
            browser.close()


def test_the_portfolio_filter_bar_works_at_a_phones_width(world, live_server):
    Program.objects.filter(pk=world.program.pk).update(
        name="Argentina clusters", funder="IDB", approval_date=datetime.date(2023, 1, 15)
    )
    Program.objects.filter(pk=world.other_program.pk).update(
        name="Ecuador clusters",
        funder="EU",
        currency="EUR",
        total_amount=Decimal("80"),
        funder_amount=Decimal("60"),
    )
    world.program.countries.set([world.argentina])
    world.other_program.countries.set([world.ecuador])

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "admin", "/programs/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Program portfolio")
            table = page.locator("table.portfolio-table")
            _fits_the_screen(page)

            _filter_by(page, "Funder", r"funder=EU", label="EU")
            _lists(table, "Ecuador clusters", "Argentina clusters")

            # A sorted list keeps its sort through the bar.
            page.goto(f"{live_server.url}/programs/?sort=-funder")
            _filter_by(page, "Approval year", r"sort=-funder.*year=2023", value="2023")
            _lists(table, "Argentina clusters", "Ecuador clusters")

            page.goto(f"{live_server.url}/programs/?status=bogus")
            _refused(page, table, "status", "bogus is not one of the available choices")
            page.screenshot(path="/tmp/portfolio_phone.png", full_page=True)
        finally:
            browser.close()
