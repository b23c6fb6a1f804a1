"""A visitor, not signed in, finds a published cluster from the public index by searching, opens
its page, reads it in Spanish with the language switcher, and downloads nothing from outside
the site: every request the browser makes goes to the site itself. An unpublished cluster is
not found."""

import pytest
from playwright.sync_api import expect, sync_playwright

from clusters.models import Decision
from public.services import publication_set
from scorecards.services import periods_generate
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, watch_problems

pytestmark = pytest.mark.e2e


def test_a_visitor_finds_a_published_cluster_from_the_index(world, live_server):
    periods_generate(first_year=2025, last_year=2025)
    decision = Decision.objects.create(
        meeting=world.committees["inside"].meeting, text="We publish our results."
    )
    publication_set(
        cluster=world.inside,
        published=True,
        decision=decision,
        withheld_kpis=[],
        by=world.users["bso_staff"],
    )
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            problems = watch_problems(page)
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))

            page.goto(f"{live_server.url}/results/")
            page.get_by_label("Search clusters by name, sector, place or country").fill("garments")
            page.get_by_role("button", name="Search").click()
            expect(page.locator("main")).to_contain_text("No published cluster matches.")

            page.get_by_label("Search clusters by name, sector, place or country").fill("wine")
            page.get_by_role("button", name="Search").click()
            page.get_by_role("link", name="Mendoza wine").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mendoza wine")
            expect(page.locator("[data-section=governance]")).to_be_visible()
            violations = serious_violations(page)

            page.get_by_role("button", name="Español").click()
            expect(page.get_by_role("heading", name="Gobernanza")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", "es")
            violations += serious_violations(page)

            assert violations == []
            assert problems == []
            outside = [url for url in requests if not url.startswith(live_server.url)]
            assert outside == [], outside
        finally:
            browser.close()
