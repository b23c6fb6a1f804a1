"""The targets grid on a phone (390 px wide): a program officer opens it from the cluster's
scorecard, types targets, makes a mistake that comes back listed at the top with everything
typed kept, fixes it, saves, and reads which totals went stale; axe-core finds no serious or
critical violation on the grid, with or without errors."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, Period, Target, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOT = Path("/tmp/targets_grid_phone.png")  # the grid with an error, to look at


@pytest.fixture
def plan(world):
    load_builtin_templates(django_apps)  # a live server's flush removed them (see report flow)
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.kpi = KPI.objects.get(code="thai-lean")
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.q2 = Period.objects.get(year=2025, quarter=2)
    return world


def test_an_officer_sets_targets_in_the_grid_on_a_phone(plan, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            scorecard = f"/clusters/{plan.inside.pk}/scorecard/"
            sign_in(page, live_server.url, "officer", scorecard)
            page.get_by_role("link", name="Targets", exact=True).last.click()
            page.wait_for_load_state()
            page.get_by_role("button", name="Show").click()
            page.wait_for_load_state()

            q1 = page.get_by_label(f"{plan.kpi.name}, 2025-Q1", exact=True)
            q2 = page.get_by_label(f"{plan.kpi.name}, 2025-Q2", exact=True)
            expect(q1).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            q1.fill("10")
            q2.fill("twelve")
            page.get_by_role("button", name="Save the targets").click()
            page.wait_for_load_state()

            summary = page.locator("[data-error-summary]")
            expect(summary).to_be_visible()
            expect(summary).to_be_focused()
            expect(q1).to_have_value("10")
            expect(q2).to_have_value("twelve")
            assert serious_violations(page) == []
            page.screenshot(path=str(SCREENSHOT))
            summary.get_by_role("link").first.click()
            expect(q2).to_be_focused()
            q2.fill("12.5")
            page.get_by_role("button", name="Save the targets").click()
            page.wait_for_load_state()

            expect(page.locator(".messages")).to_contain_text("2 targets saved")
            expect(page.locator(".messages")).to_contain_text(f"{plan.kpi.name} · 2025-Q2")
            assert serious_violations(page) == []
            # the refused save answered 400 on purpose (a form error); nothing else may show
            refused = [p for p in problems if "status of 400" in p and "/targets/" in p]
            assert len(refused) == 1
            assert [p for p in problems if p not in refused] == []
        finally:
            browser.close()

    assert sorted(Target.objects.filter(cluster=plan.inside).values_list("value", flat=True)) == [
        10,
        12.5,
    ]


def test_the_axe_check_reports_a_serious_violation_when_there_is_one():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.set_content('<html lang="en"><title>t</title><main><select></select></main>')

            found = serious_violations(page)
        finally:
            browser.close()

    assert any(problem.startswith("select-name") for problem in found)
