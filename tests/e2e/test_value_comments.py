"""Comments on values in a real browser: the officer asks about a value in its thread on the
report page, returns the report naming two values, and the BSO (on a phone) finds both threads
opened by the return and answers in one. The comment box sits inside the report's entry form
but posts with its own form (the `form` attribute): this is where a browser says it works.
axe finds no serious violation on the page with its threads."""

import datetime

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from monitoring.models import Comment, Report
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.builtin import load_builtin_templates
from scorecards.models import Period, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems
from tests.reports import complete_rows

pytestmark = pytest.mark.e2e


@pytest.fixture
def submitted(world):
    """world.inside's 2025-Q1 report on the Thai Food scorecard, every value entered, submitted."""
    load_builtin_templates(django_apps)  # a live server's test flushes the data migrations' rows
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    staff = world.users["bso_staff"]
    report = report_open(cluster=world.inside, period=Period.objects.get(year=2025, quarter=1))
    report_record_values(report=report, rows=complete_rows(report), user=staff)
    world.report = report_transition(report=report, action="submit", user=staff)
    return world


def test_an_officer_asks_in_a_thread_returns_naming_two_values_and_the_bso_answers(
    submitted, live_server
):
    report_path = submitted.report.get_absolute_url()
    lean = submitted.report.measurements.get(kpi__code="thai-lean")
    turnover = submitted.report.measurements.get(kpi__code="thai-staff-turnover")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)
            page.set_default_timeout(15_000)

            sign_in(page, live_server.url, "officer", report_path)
            thread = page.locator(f"#comments-{lean.pk}")
            thread.locator("summary").click()
            thread.get_by_label("Your comment").fill("Lean went from 1 to 1: is Q4 right?")
            thread.get_by_role("button", name="Post comment").click()
            expect(page.locator(".messages")).to_contain_text("Your comment on")
            expect(thread.locator("[data-comment]")).to_have_count(1)
            expect(thread.locator("summary")).to_have_text("1 comment")

            return_form = page.locator("form.comment-form", has=page.locator("#return-comment"))
            return_form.get_by_label("Comment for the cluster").fill("Check these two.")
            return_form.locator(f"#return-value-{lean.pk}").check()
            return_form.locator(f"#return-value-{turnover.pk}").check()
            return_form.get_by_role("button", name="Return").click()
            expect(page.locator(".messages")).to_contain_text("was returned")
            assert serious_violations(page) == []

            page = browser.new_page(viewport={"width": 390, "height": 844})
            bso_problems = watch_problems(page)
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "bso", report_path)
            for value in (lean, turnover):
                opened = page.locator(f"#comments-{value.pk}")
                expect(opened).to_have_attribute("open", "")
                expect(opened).to_contain_text("Check these two.")
                expect(opened).to_contain_text("from the return")
            thread = page.locator(f"#comments-{lean.pk}")
            thread.get_by_label("Your comment").fill("Q4 was 1 as well: no change.")
            thread.get_by_role("button", name="Post comment").click()
            expect(thread.locator("[data-comment]")).to_have_count(3)
            assert serious_violations(page) == []
        finally:
            browser.close()

    assert problems == [] and bso_problems == [], "\n".join(problems + bso_problems)
    assert Report.objects.get(pk=submitted.report.pk).state == Report.State.RETURNED
    assert list(
        Comment.objects.filter(measurement=lean).values_list("author__username", flat=True)
    ) == ["officer", "officer", "bso"]
