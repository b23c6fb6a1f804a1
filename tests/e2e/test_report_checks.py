"""Checks at entry in a real browser: BSO staff enter an implausible value, the saved draft
shows the flag beside it with the rule's numbers, submitting is refused until the flag is
explained, and the officer reads the flag and its explanation before approving.

The values are typed on a phone-width page (390 px); axe finds no serious violation on the
page with its flag and explanation input.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from monitoring.models import Flag, Report
from monitoring.reports.services import report_open
from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, KPIChecks, Period, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def thai(world):
    """world.inside's 2025-Q1 report on the Thai Food scorecard; thai-lean at most 50."""
    load_builtin_templates(django_apps)  # a live server's test flushes the data migrations' rows
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.report = report_open(cluster=world.inside, period=world.q1)
    KPIChecks.objects.create(kpi=KPI.objects.get(code="thai-lean"), maximum=Decimal(50))
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


def test_bso_staff_explain_an_implausible_value_and_submit_and_the_officer_reads_why(
    thai, live_server
):
    report_path = thai.report.get_absolute_url()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            problems = watch_problems(page)
            page.set_default_timeout(15_000)

            sign_in(page, live_server.url, "bso", report_path)
            _fill_every_value(page)
            lean = page.locator("fieldset[data-kpi=thai-lean]")
            lean.locator("[data-field=value]").fill("480")  # a typo for 48
            page.get_by_role("button", name="Save draft").click()

            # The draft is saved with its flag, shown beside the value with the numbers.
            expect(page.locator(".messages")).to_contain_text("saved as a draft")
            expect(lean.locator("[data-flag-message]")).to_have_text("now 480 > maximum 50")
            expect(page.locator("[data-flag-summary]")).to_contain_text("1 value looks unusual")
            assert serious_violations(page) == []

            # Submitting is refused while the flag has no explanation.
            page.get_by_role("button", name="Submit").click()
            expect(page.locator(".messages")).to_contain_text(
                "Unexplained: Number of companies adopting lean"
            )
            assert Report.objects.get(pk=thai.report.pk).state == Report.State.DRAFT

            # It was no typo: the BSO says why, and submits.
            lean.get_by_label("Why is this value right?").fill(
                "Two new industrial parks opened this quarter."
            )
            page.get_by_role("button", name="Submit").click()
            expect(page.locator(".messages")).to_contain_text("The report was submitted")
            expect(lean.locator("[data-explanation]")).to_contain_text(
                "Two new industrial parks opened this quarter."
            )

            # The officer (on a desktop: a page of its own, signed in apart) sees the count in
            # the queue, then the flag and the reason.
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            officer_problems = watch_problems(page)
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "officer", "/reviews/")
            row = page.locator(f"tr[data-report='{thai.report.pk}']")
            expect(row).to_contain_text("1 flag, explained")
            row.get_by_role("link", name="1 flag, explained").click()
            lean = page.locator("fieldset[data-kpi=thai-lean]")
            expect(lean.locator("[data-flag-message]")).to_have_text("now 480 > maximum 50")
            expect(lean.locator("[data-explanation]")).to_contain_text("industrial parks")
            assert serious_violations(page) == []
        finally:
            browser.close()

    assert problems == [] and officer_problems == [], "\n".join(problems + officer_problems)
    flag = Flag.objects.get(measurement__report=thai.report)
    assert flag.explained_by.username == "bso"
