"""Programs from pages, in a real browser: a program officer creates a program, records its
approval in 2018, adds a component, enrols a cluster and records a disbursement at desktop
width; at 390 px wide, records a disbursement on an existing program (refused first, said why,
the typed amount kept). Nothing on the way breaks the page's security policy, needs a sideways
scroll on the phone or shows axe-core a serious or critical accessibility violation.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from programs.models import Component, Disbursement, Enrolment, Program
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path("/tmp")


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _save(page) -> None:
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_an_officer_records_a_program_approved_in_2018_at_desktop_width(world, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=DESKTOP)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "officer", "/programs/")
            violations = serious_violations(page)

            page.get_by_role("link", name="New program").click()
            page.get_by_label("Code").fill("ar-exports-2018")
            page.get_by_label("Name", exact=True).fill("Argentina exports")
            page.get_by_label("Funder", exact=True).fill("IDB")
            page.get_by_label("Argentina").check()
            page.get_by_label("Currency").fill("USD")
            page.get_by_label("Total amount").fill("1000")
            page.get_by_label("Funder amount").fill("800")
            violations += serious_violations(page)
            _save(page)
            expect(page.get_by_role("heading", level=1)).to_have_text("Argentina exports")

            page.get_by_role("link", name="Change the status").click()
            page.get_by_label("New status").select_option(label="Approved")
            page.get_by_label("Date").fill("2018-04-09")
            _save(page)
            expect(page.locator(".page-header")).to_contain_text("Approved")

            page.get_by_role("link", name="Add a component").click()
            page.get_by_label("Name", exact=True).fill("Training")
            page.get_by_label("Budget").fill("300")
            _save(page)
            expect(page.locator("#components")).to_contain_text("Training")

            page.get_by_role("link", name="Enrol a cluster").click()
            page.get_by_label("Cluster").select_option(label="Mendoza wine (Argentina)")
            page.get_by_label("Enrolled from").fill("2018-06-01")
            _save(page)
            expect(page.locator("#clusters")).to_contain_text("Mendoza wine")

            page.get_by_role("link", name="Record a disbursement").click()
            page.get_by_label("Date").fill("2019-03-15")
            page.get_by_label("Amount").fill("50")
            page.get_by_label("Component").select_option(label="Training")
            page.get_by_label("Reference").fill("IDB-001")
            _save(page)
            expect(page.locator("#disbursements")).to_contain_text("IDB-001")
            violations += serious_violations(page)
            page.screenshot(path=str(SCREENSHOTS / "program_page_desktop.png"), full_page=True)

            page.get_by_role("link", name="History of Argentina exports", exact=True).click()
            expect(page.locator(".history")).to_contain_text("Enrolment: Mendoza wine")
            violations += serious_violations(page)
            assert violations == []
            assert problems == []
        finally:
            browser.close()

    program = Program.objects.get(code="ar-exports-2018")
    assert (program.status, program.approval_date) == (
        Program.Status.APPROVED,
        datetime.date(2018, 4, 9),
    )
    assert Component.objects.get(program=program).name == "Training"
    assert Enrolment.objects.get(program=program).cluster == world.inside
    assert Disbursement.objects.get(program=program).date == datetime.date(2019, 3, 15)


def test_an_officer_records_a_disbursement_on_a_phone(world, live_server):
    program = world.program
    Program.objects.filter(pk=program.pk).update(
        name="Argentina clusters",
        status=Program.Status.APPROVED,
        approval_date=datetime.date(2018, 4, 9),
        total_amount=Decimal("1000"),
        funder_amount=Decimal("800"),
    )
    path = f"/programs/{program.pk}/"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "officer", path)
            assert _sideways_overflow(page) <= 0
            violations = serious_violations(page)

            page.get_by_role("link", name="Record a disbursement").click()
            page.get_by_label("Date").fill("2017-12-31")  # before the approval: refused
            page.get_by_label("Amount").fill("25")
            _save(page)
            summary = page.locator("[data-error-summary]")
            expect(summary).to_contain_text("before the program's approval")
            expect(page.get_by_label("Amount")).to_have_value("25")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            page.screenshot(path=str(SCREENSHOTS / "program_disbursement_phone.png"))

            page.get_by_label("Date").fill("2018-05-02")
            _save(page)
            expect(page.locator("#disbursements")).to_contain_text("25.00")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            assert violations == []
            refused = f"{live_server.url}/programs/{program.pk}/disbursements/new/"
            assert [p for p in problems if not (p.startswith(refused) and "400" in p)] == []
        finally:
            browser.close()

    assert Disbursement.objects.get(program=program).amount == Decimal("25")
