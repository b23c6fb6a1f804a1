"""A background activity import's page in a real browser: static/js/import-progress.js follows
the job's progress from its JSON, then reloads the page once the job has finished.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server
(the same set-up as test_rollup_pages.py). A missing browser fails the test.
"""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from monitoring.models.activities import ActivityImport
from tests.e2e.browser import launch, sign_in

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/activity_import_job.png")


def test_the_job_page_follows_the_progress_then_shows_the_result(world, live_server):
    job = ActivityImport.objects.create(
        created_by=world.users["bso_staff"],
        original_name="activities-2025.xlsx",
        language="en",
        state=ActivityImport.State.RUNNING,
        total=800,
        progress=100,
        started_at=timezone.now(),
    )
    polls: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            page.on("request", lambda r: polls.append(r.url) if "/progress/" in r.url else None)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))

            sign_in(page, live_server.url, "bso", f"/activities/import/{job.pk}/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("activities-2025.xlsx")
            expect(page.locator("[data-job-text]")).to_have_text("100 of 800 rows read")
            expect(page.locator("[data-progress-refresh]")).to_be_hidden()  # the script refreshes

            ActivityImport.objects.filter(pk=job.pk).update(progress=600)
            expect(page.locator("[data-job-text]")).to_have_text("600 of 800 rows read")
            assert page.locator("[data-job-bar]").evaluate("bar => bar.value") == 75
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            ActivityImport.objects.filter(pk=job.pk).update(
                state=ActivityImport.State.DONE, progress=800, saved=800
            )
            # Reloaded: the finished page, with the result and a way to the activities.
            expect(page.get_by_role("link", name="See the activities")).to_be_visible()
            expect(page.locator("[data-job-state]")).to_have_text("Imported")
            calls = len(polls)
            page.wait_for_timeout(2_000)
            assert len(polls) == calls  # it stopped asking once the job had finished
        finally:
            browser.close()
    assert polls and all(url.endswith(f"/activities/import/{job.pk}/progress/") for url in polls)
    assert errors == []  # no script error, nothing refused by the content security policy
