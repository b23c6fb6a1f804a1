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


def test_the_directory_filter_bar_works_at_a_phones_width(world, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/directory/")
            table = page.locator("table.directory-table")
            _fits_the_screen(page)

            page.get_by_label("Country").select_option(label="Ecuador")
            page.get_by_role("button", name="Filter").click()
            expect(page).to_have_url(re.compile(r"country=EC"))
            expect(table.get_by_role("link", name="Atuntaqui garments")).to_be_visible()
            expect(table.get_by_role("link", name="Mendoza wine")).to_have_count(0)

            # A country code no select offers: the error, beside the control, and no rows.
            page.goto(f"{live_server.url}/directory/?country=ZZ")
            expect(page.get_by_role("alert")).to_contain_text("could not be applied")
            country = page.get_by_label("Country")
            expect(country).to_have_attribute("aria-invalid", "true")
            expect(page.locator("#id_country_error")).to_contain_text(
                "ZZ is not one of the available choices"
            )
            expect(table).to_have_count(0)
            _fits_the_screen(page)

            # Choosing a real one from the same bar recovers.
            country.select_option(label="Argentina")
            page.get_by_role("button", name="Filter").click()
            expect(page.get_by_role("alert")).to_have_count(0)
            expect(table.get_by_role("link", name="Mendoza wine")).to_be_visible()

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

            page.get_by_label("Funder").select_option(label="EU")
            page.get_by_role("button", name="Filter").click()
            expect(page).to_have_url(re.compile(r"funder=EU"))
            expect(table.get_by_role("link", name="Ecuador clusters")).to_be_visible()
            expect(table.get_by_role("link", name="Argentina clusters")).to_have_count(0)

            # A sorted list keeps its sort through the bar.
            page.goto(f"{live_server.url}/programs/?sort=-funder")
            page.get_by_label("Approval year").select_option("2023")
            page.get_by_role("button", name="Filter").click()
            expect(page).to_have_url(re.compile(r"sort=-funder.*year=2023"))
            expect(table.get_by_role("link", name="Argentina clusters")).to_be_visible()
            expect(table.get_by_role("link", name="Ecuador clusters")).to_have_count(0)

            page.goto(f"{live_server.url}/programs/?status=bogus")
            expect(page.get_by_role("alert")).to_contain_text("could not be applied")
            expect(page.get_by_label("Status")).to_have_attribute("aria-invalid", "true")
            expect(page.locator("#id_status_error")).to_contain_text("bogus")
            expect(table).to_have_count(0)
            _fits_the_screen(page)
            page.screenshot(path="/tmp/portfolio_phone.png", full_page=True)
        finally:
            browser.close()
