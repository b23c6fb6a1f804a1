"""A report's whole trip in a real browser: BSO staff fill it in and submit it, the program
officer approves it from the review queue, the scorecard shows it approved, and the
ministry's national dashboard shows the new value with its coverage.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
A missing browser fails the test (a skipped browser test would hide a broken page).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from monitoring.models import Report
from monitoring.reports.services import report_open
from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, Level, Period, Target, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/report_page.png")
SCREENSHOT_PHONE = Path("/tmp/report_page_phone.png")


@pytest.fixture
def thai(world):
    """world.inside on the Thai Food scorecard, its 2025 periods and its 2025-Q1 report (as in
    tests/monitoring/conftest.py), with cluster targets for three KPIs."""
    # A live server's test flushes the database after it, data migrations' rows included: the
    # built-in templates are loaded again (idempotent) whatever browser test ran before.
    load_builtin_templates(django_apps)
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.report = report_open(cluster=world.inside, period=world.q1)
    for code, value in (("thai-lean", 4), ("thai-staff-turnover", 10), ("thai-jit", 5)):
        Target.objects.create(
            kpi=KPI.objects.get(code=code),
            period=world.q1,
            level=Level.CLUSTER,
            cluster=world.inside,
            value=value,
        )
    return world


def _fill_every_value(page):
    for fieldset in page.locator("fieldset[data-kind]").all():
        kind = fieldset.get_attribute("data-kind")
        if kind == "ratio":
            fieldset.locator("[data-field=numerator]").fill("12")
            fieldset.locator("[data-field=denominator]").fill("80")
        elif kind == "sex":
            fieldset.locator("[data-field=value_women]").fill("12")
            fieldset.locator("[data-field=value_men]").fill("8")
        elif kind == "yes_no":
            fieldset.locator("[data-field=value]").select_option("1")
        else:
            fieldset.locator("[data-field=value]").fill("4")


def test_bso_staff_submit_a_report_the_officer_approves_it_and_the_scorecard_shows_it(
    thai, live_server
):
    report_path = thai.report.get_absolute_url()
    scorecard_path = f"/clusters/{thai.inside.pk}/scorecard/?period={thai.q1.pk}"
    requested: list[str] = []

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)  # console errors, policy violations
            page.set_default_timeout(15_000)
            page.on("request", lambda request: requested.append(request.url))

            # BSO staff sign in and land on the report.
            sign_in(page, live_server.url, "bso", report_path)
            expect(page.get_by_role("heading", level=1)).to_contain_text("report 2025-Q1")
            _fill_every_value(page)

            # The page checks as you type: women without men is no split. (A total other
            # than women + men is saved and flagged: tests/e2e/test_report_checks.py.)
            skills = page.locator("fieldset[data-kpi=thai-skills-participants]")
            skills.get_by_label("Men", exact=True).fill("")
            expect(skills.locator(".field-error:visible")).to_have_text("Enter both women and men.")
            page.get_by_role("button", name="Submit").click()  # held back by the check
            expect(page.locator("#entry-summary")).to_be_visible()
            # ... and its summary links the input in error, saying what is wrong
            men_id = skills.get_by_label("Men", exact=True).get_attribute("id")
            expect(page.locator(f"#entry-summary a[href='#{men_id}']")).to_contain_text(
                "Men: Enter both women and men."
            )
            assert Report.objects.get(pk=thai.report.pk).state == Report.State.DRAFT
            skills.get_by_label("Men", exact=True).fill("8")
            expect(skills.locator(".field-error:visible")).to_have_count(0)
            expect(skills.get_by_label("Total")).to_have_attribute("placeholder", "20")

            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(SCREENSHOT_PHONE), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})

            page.get_by_role("button", name="Submit").click()
            expect(page.locator(".messages")).to_contain_text("The report was submitted")
            expect(page.locator(".page-header .state")).to_have_text("Submitted")
            expect(page.locator("input[data-field]")).to_have_count(0)  # read-only now

            page.locator(".site-header").get_by_role("button", name="Sign out").click()

            # The officer approves it from the review queue with one click.
            sign_in(page, live_server.url, "officer", "/reviews/")
            row = page.locator(f"tr[data-report='{thai.report.pk}']")
            expect(row).to_contain_text("Mendoza wine")
            row.get_by_role("button", name="Approve").click()
            expect(page).to_have_url(re.compile(r"/reviews/$"))
            expect(page.locator(".messages")).to_contain_text("was approved")
            expect(page.locator(f"tr[data-report='{thai.report.pk}']")).to_have_count(0)

            # The scorecard shows the report approved, with its values.
            page.goto(f"{live_server.url}{scorecard_path}")
            expect(page.locator(".report-status .state")).to_have_text("Approved")
            expect(page.locator("[data-unapproved]")).to_have_count(0)
            turnover = page.locator("tr[data-kpi=thai-staff-turnover]")
            expect(turnover.locator("[data-cell=value]")).to_contain_text("15%")
            expect(turnover.locator("[data-cell=value]")).to_contain_text("12 / 80")
            expect(page.locator("tr[data-kpi=thai-lean] [data-cell=status]")).to_have_text(
                "On track"
            )
            page.locator(".site-header").get_by_role("button", name="Sign out").click()

            # The approval was rolled up: the ministry's national dashboard shows the value.
            dashboard = f"/dashboards/country/{thai.argentina.pk}/?period={thai.q1.pk}"
            sign_in(page, live_server.url, "ministry", dashboard)
            lean = page.locator("tr[data-kpi=thai-lean]")
            expect(lean.locator("[data-cell=value]")).to_have_text("4")
            expect(lean.locator("[data-cell=coverage]")).to_contain_text("1 / 1 cluster reporting")
        finally:
            browser.close()

    assert problems == [], "\n".join(problems)

    assert Report.objects.get(pk=thai.report.pk).state == Report.State.APPROVED
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert requested
    assert outside == [], f"the pages loaded resources from outside the server: {outside}"
