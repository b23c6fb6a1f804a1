"""A competitiveness plan on a phone, in a real browser: BSO staff open the cluster's page, write
the plan, add an action, have the steering committee's decision approve it (the version frozen)
and start a revision, at 390 px wide, with no sideways scroll, no breach of the page's security
policy and no serious or critical accessibility violation."""

import pytest
from playwright.sync_api import expect, sync_playwright

from clusters.models import Decision
from plans.models import Plan
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_bso_staff_write_approve_and_revise_a_plan_on_a_phone(world, live_server):
    cluster = world.inside
    Decision.objects.create(meeting=world.committees["inside"].meeting, text="Plan approved.")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "bso", cluster.get_absolute_url())
            page.get_by_role("link", name="Competitiveness plan").click()
            page.get_by_role("link", name="Write the plan").click()
            page.get_by_label("Title").fill("Mendoza wine 2025-2027")
            page.get_by_label("Plan starts").fill("2025-01-01")
            page.get_by_label("Plan ends").fill("2027-12-31")
            page.get_by_label("Strengths").fill("Terroir\nSkilled workers")
            violations = serious_violations(page)
            page.get_by_role("button", name="Save").click()
            expect(page.locator("[data-plan-state]")).to_have_attribute("data-plan-state", "draft")

            page.get_by_role("link", name="Add an action").click()
            page.get_by_label("Title").fill("Joint stand at the national fair")
            page.get_by_label("Owner").fill("Bodegas de Argentina")
            page.get_by_label("Starts on").fill("2025-04-01")
            page.get_by_label("Ends on").fill("2025-07-31")
            page.get_by_label("Budget from the program fund").fill("12000")
            page.get_by_label("Currency").fill("USD")
            violations += serious_violations(page)
            page.get_by_role("button", name="Save").click()
            expect(page.locator("[data-action]")).to_contain_text("Joint stand at the national")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)

            page.get_by_role("link", name="Approve this version").click()
            page.get_by_label("Decision of the steering committee").select_option(
                label="2025-03-01: Plan approved."
            )
            page.get_by_role("button", name="Approve").click()
            expect(page.locator("[data-plan-state]")).to_have_attribute(
                "data-plan-state", "approved"
            )
            expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
            page.get_by_role("button", name="Start a revision").click()
            expect(page.locator("[data-plan-state]")).to_have_attribute("data-plan-state", "draft")
            page.get_by_role("link", name="What changed since version 1").click()
            expect(page.locator("[data-no-changes]")).to_be_visible()
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            assert violations == []
            assert problems == []
        finally:
            browser.close()
    assert list(Plan.objects.values_list("version", "state")) == [(2, "draft"), (1, "approved")]
