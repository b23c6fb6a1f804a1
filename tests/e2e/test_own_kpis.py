"""A cluster's own KPI in a browser: BSO staff propose it from the cluster's scorecard, the
program officer finds it in the review queue and rejects it with a reason, and the cluster's
scorecard shows the reason; axe-core finds no serious or critical violation on the way."""

import datetime

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def plan(world):
    load_builtin_templates(django_apps)  # a live server's flush removed them (see report flow)
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    return world


def test_a_proposal_is_rejected_with_a_reason_the_cluster_reads(plan, live_server):
    scorecard = f"/clusters/{plan.inside.pk}/scorecard/"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            staff = browser.new_page()
            problems = watch_problems(staff)
            sign_in(staff, live_server.url, "bso", scorecard)
            staff.get_by_role("link", name="Propose an own KPI").click()
            staff.get_by_label("Critical success factor").select_option(index=1)
            staff.get_by_label("Code").fill("mendoza-wine-tourists")
            staff.get_by_label("Name").fill("Wine tourists received")
            staff.get_by_label("Unit").select_option("count")
            staff.get_by_label("Aggregation across clusters").select_option("sum")
            staff.get_by_label("Aggregation over time").select_option("sum")
            assert serious_violations(staff) == []
            staff.get_by_role("button", name="Propose the KPI").click()
            expect(staff.locator("[data-own-kpi=mendoza-wine-tourists]")).to_contain_text(
                "Proposed"
            )

            officer = browser.new_page()
            problems += watch_problems(officer)
            sign_in(officer, live_server.url, "officer", "/reviews/")
            officer.locator("[data-proposal=mendoza-wine-tourists]").get_by_role(
                "link", name="Accept or reject…"
            ).click()
            assert serious_violations(officer) == []
            officer.get_by_label("Reject").check()
            officer.get_by_label("Reason").fill("Counted already by the core KPI on visitors.")
            officer.get_by_role("button", name="Record the decision").click()
            expect(officer.locator(".messages")).to_contain_text("was rejected")

            staff.goto(f"{live_server.url}{scorecard}")
            expect(staff.locator("[data-own-kpi=mendoza-wine-tourists]")).to_contain_text(
                "Counted already by the core KPI on visitors."
            )
            assert problems == []
        finally:
            browser.close()

    assert KPI.objects.get(code="mendoza-wine-tourists").status == KPI.Status.REJECTED
