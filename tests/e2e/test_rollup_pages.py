"""The rollup pages in a real browser: from a rolled-up value to its explanation, and a full
recompute's progress bar that static/js/rollup-run.js refreshes from the API.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server
(the same set-up as test_report_flow.py). A missing browser fails the test.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from monitoring.models import RollupRun, RollupRunItem
from monitoring.rollups.runs import run_finish_if_done
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

SCREENSHOT_LIST = Path("/tmp/rollup_list.png")
SCREENSHOT_RUN = Path("/tmp/rollup_run.png")


def test_a_rolled_up_value_leads_to_its_clusters_and_a_recompute_shows_its_progress(
    rolled, live_server
):
    api_calls: list[str] = []
    foreign: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)  # console errors, policy violations
            page.set_default_timeout(15_000)

            def watch(request):
                if "/api/v1/rollup-runs/" in request.url:
                    api_calls.append(request.url)
                if not request.url.startswith(live_server.url):
                    foreign.append(request.url)

            page.on("request", watch)

            # The list: the global value of the business plans, with its coverage.
            sign_in(page, live_server.url, "admin", f"/rollups/?level=global&period={rolled.q1.pk}")
            expect(page.get_by_role("heading", level=1)).to_have_text("Rolled-up KPI values")
            row = page.locator("tr[data-kpi=thai-business-plans][data-level=global]")
            expect(row.locator("[data-cell=value]")).to_contain_text("2")
            expect(row.locator("[data-cell=coverage]")).to_contain_text("1 / 1 cluster reporting")
            page.screenshot(path=str(SCREENSHOT_LIST), full_page=True)

            # Its explanation: the formula and the cluster behind it, approved.
            row.locator("[data-cell=value] a").first.click()
            expect(page.locator("[data-formula]")).to_contain_text("Sum of the clusters' values")
            cluster = page.locator(f"tr[data-cluster='{rolled.inside.pk}']")
            expect(cluster).to_contain_text("Mendoza wine")
            expect(cluster).to_contain_text("Approved")

            # A recompute under way: the bar follows the API until the run is done.
            years = [2022, 2023, 2024, 2025]
            run = RollupRun.objects.create(total=len(years), started_by=rolled.users["admin"])
            RollupRunItem.objects.bulk_create(RollupRunItem(run=run, year=y) for y in years)
            page.goto(f"{live_server.url}/rollups/runs/{run.pk}/")
            expect(page.locator("[data-run-text]")).to_contain_text("0 / 4 years recomputed")
            expect(page.locator("[data-progress-refresh]")).to_be_hidden()  # the script refreshes

            RollupRunItem.objects.filter(run=run, year__in=years[:3]).update(state="done")
            expect(page.locator("[data-run-text]")).to_contain_text("3 / 4 years recomputed")
            assert page.locator("[data-run-bar]").evaluate("bar => bar.value") == 3
            expect(page.locator("[data-run-status]")).to_have_text("Running")
            page.screenshot(path=str(SCREENSHOT_RUN), full_page=True)

            RollupRunItem.objects.filter(run=run).update(state="done")
            run_finish_if_done(run_id=run.pk)
            expect(page.locator("[data-run-status]")).to_have_text("Done")
            expect(page.locator("[data-run-text]")).to_contain_text("4 / 4 years recomputed")
            calls = len(api_calls)
            page.wait_for_timeout(2_500)
            assert len(api_calls) == calls  # it stopped asking once the run was done
        finally:
            browser.close()

    assert problems == [], "\n".join(problems)
    assert api_calls and all(url.endswith(f"/api/v1/rollup-runs/{run.pk}/") for url in api_calls)
    assert foreign == []
