"""A visitor, not signed in, finds a published cluster on the directory's map, follows it to the
cluster's published results and reads them in Portuguese, while the browser asks nothing of
any other site (issue 19.8)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright

from clusters.models import Decision
from public.services import publication_set
from scorecards.services import periods_generate
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, watch_problems

pytestmark = pytest.mark.e2e


def test_a_visitor_finds_a_published_cluster_on_the_map_and_reads_it_in_portuguese(
    world, live_server
):
    periods_generate(first_year=2025, last_year=2025)
    world.inside.latitude, world.inside.longitude = Decimal("-32.89"), Decimal("-68.83")
    world.inside.save(update_fields=["latitude", "longitude"])
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
            page.set_default_timeout(15_000)
            problems = watch_problems(page)
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))

            page.goto(f"{live_server.url}/directory/")
            marker = page.locator(f'svg.map a.map-link:has([data-key="{world.inside.pk}"])')
            assert marker.get_attribute("aria-label").startswith("Mendoza wine")
            marker.click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Mendoza wine")

            page.get_by_role("link", name="The cluster's published results").click()
            expect(page.locator("[data-section=governance]")).to_be_visible()

            page.get_by_role("button", name="Português").click()
            expect(page.locator("html")).to_have_attribute("lang", "pt")
            expect(page.get_by_role("heading", name="Governança")).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mendoza wine")

            assert serious_violations(page) == []
            assert problems == []
            outside = [url for url in requests if not url.startswith(live_server.url)]
            assert outside == [], outside
        finally:
            browser.close()
