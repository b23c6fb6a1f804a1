"""Publishing by choice on a phone, in a real browser: BSO staff open the cluster's page, go to
*Publication of results*, are refused without the committee's decision (said why, what was
chosen kept), then publish naming it, at 390 px wide, with no sideways scroll, no breach of the
page's security policy and no serious or critical accessibility violation."""

import pytest
from playwright.sync_api import expect, sync_playwright

from clusters.models import Decision
from public.models import Publication
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_bso_staff_publish_the_clusters_results_naming_the_decision_on_a_phone(world, live_server):
    cluster = world.inside
    Decision.objects.create(meeting=world.committees["inside"].meeting, text="We publish.")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "bso", cluster.get_absolute_url())
            page.get_by_role("link", name="Publication of results").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Publication of results")
            assert _sideways_overflow(page) <= 0
            violations = serious_violations(page)

            page.get_by_label("Publish the cluster's results").check()
            page.get_by_role("button", name="Save").click()
            expect(page.locator("[data-error-summary]")).to_contain_text("decision")
            expect(page.get_by_label("Publish the cluster's results")).to_be_checked()
            violations += serious_violations(page)

            page.get_by_label("Steering committee decision").select_option(
                label="2025-03-01 — We publish."
            )
            page.get_by_role("button", name="Save").click()
            expect(page.locator("[data-publication-state]")).to_have_attribute(
                "data-publication-state", "published"
            )
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            assert violations == []
            refused = f"{live_server.url}/clusters/{cluster.pk}/publication/"
            assert [p for p in problems if not (p.startswith(refused) and "400" in p)] == []
        finally:
            browser.close()
    assert Publication.objects.get(cluster=cluster).published
