"""Portuguese in a real browser: a program officer presses “Português” in the header and the
program page comes back in Portuguese, its date and money written the Brazilian way; with three
languages offered, the header still fits a phone (no sideways scroll) and axe-core finds no
serious or critical violation."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright

from programs.models import Program
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_an_officer_reads_the_program_page_in_portuguese(world, live_server):
    Program.objects.filter(pk=world.program.pk).update(
        status=Program.Status.IN_EXECUTION,
        approval_date=datetime.date(2023, 1, 15),
        currency="USD",
        total_amount=Decimal("1234567.5"),
        funder_amount=Decimal("1000"),
    )
    page_path = f"/programs/{world.program.pk}/"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=DESKTOP)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "officer", page_path)
            page.locator(".language-switcher").get_by_role("button", name="Português").click()

            expect(page.locator("html")).to_have_attribute("lang", "pt")
            assert page.url.endswith(page_path)
            expect(page.get_by_role("heading", name="Recursos")).to_be_visible()  # Money
            main = page.locator("main")
            expect(main).to_contain_text("Data de aprovação")
            expect(main).to_contain_text("15 jan 2023")
            expect(main).to_contain_text("1.234.567,50")
            expect(
                page.locator(".language-switcher").get_by_role("button", name="Português")
            ).to_have_attribute("aria-pressed", "true")
            violations = serious_violations(page)

            page.set_viewport_size(PHONE)
            page.reload()
            expect(page.locator("html")).to_have_attribute("lang", "pt")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)

            assert violations == []
            assert problems == []
        finally:
            browser.close()
