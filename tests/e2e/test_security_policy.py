"""The Content-Security-Policy in a real browser: the main pages (home, dashboards, a report
being filled in, the API docs with Swagger UI) load and work with no inline script or style
allowed, and no violation or other console error shows; a violation, when there is one, is
seen.

Debian's chromium through Playwright's sync API against pytest-django's live server (the
same set-up as the other browser tests). A missing browser fails the test.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from monitoring.reports.services import report_open
from monitoring.rollups.runs import run_start
from scorecards.models import Period
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def pages(rolled):
    """Mendoza's 2025-Q1 report approved and rolled up, its Q2 report open (a draft), and a
    finished full recompute: something on every page."""
    world = rolled
    world.draft = report_open(cluster=world.inside, period=Period.objects.get(year=2025, quarter=2))
    world.run = run_start(user=world.users["admin"])
    return world


def visit(page, url: str):
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")
    return response


def test_the_main_pages_work_under_the_policy_without_a_violation(pages, live_server):
    base = live_server.url
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            problems = watch_problems(page)

            # A report being filled in: its script checks values as they are typed.
            sign_in(page, base, "bso", pages.draft.get_absolute_url())
            expect(page.get_by_role("heading", level=1)).to_contain_text("report 2025-Q2")
            response = visit(page, f"{base}{pages.draft.get_absolute_url()}")
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            assert "frame-ancestors 'none'" in policy
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "same-origin"
            lean = page.locator("fieldset[data-kpi=thai-lean] [data-field=value]")
            lean.fill("-3")
            expect(
                page.locator("fieldset[data-kpi=thai-lean] .field-error:visible")
            ).not_to_be_empty()
            page.locator(".site-header").get_by_role("button", name="Sign out").click()

            # Home, dashboards, the scorecard, totals, a recompute, programs, activities, admin.
            sign_in(page, base, "admin", "/")
            for path in (
                "/",
                "/home/",
                f"/dashboards/country/{pages.argentina.pk}/?period={pages.q1.pk}",
                f"/dashboards/region/{pages.southern_cone.pk}/?period={pages.q1.pk}",
                f"/dashboards/cluster/{pages.inside.pk}/",
                f"/clusters/{pages.inside.pk}/",
                f"/clusters/{pages.inside.pk}/scorecard/?period={pages.q1.pk}",
                "/rollups/",
                f"/rollups/runs/{pages.run.pk}/",
                "/programs/",
                "/activities/",
                "/directory/",
                "/admin/",
            ):
                visit(page, f"{base}{path}")
                expect(page.locator("body")).not_to_be_empty()

            # The API docs: Swagger UI starts (its script is no longer inline), lists the
            # operations and runs one.
            visit(page, f"{base}/api/docs/")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Clusterboard API")
            operation = page.locator(".opblock-get", has_text="/api/v1/clusters/").first
            # Swagger UI draws the operations as they scroll into view: scroll down to it
            for _ in range(100):
                if operation.count():
                    break
                page.mouse.wheel(0, 1200)
                page.wait_for_timeout(100)
            operation.locator(".opblock-summary").click()
            operation.get_by_role("button", name="Try it out").click()
            operation.get_by_role("button", name="Execute").click()
            expect(operation.locator(".responses-table.live-responses-table")).to_contain_text(
                "200"
            )
        finally:
            browser.close()

    assert problems == [], "\n".join(problems)


def test_a_violation_shows_as_a_problem(world, live_server):
    # The check above can fail: an inline style set on a page is refused and reported.
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            problems = watch_problems(page)
            visit(page, f"{live_server.url}/directory/")
            assert problems == []

            page.evaluate("document.body.setAttribute('style', 'outline: 3px solid red')")
            page.wait_for_timeout(300)
        finally:
            browser.close()

    assert any("CSP violation: style-src" in p for p in problems), problems
