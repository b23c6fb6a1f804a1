"""Governance on a phone, in a real browser: BSO staff record a steering committee meeting with
a decision, then an action item that carries the decision out, at 390 px wide, and nothing on
the way needs a sideways scroll, breaks the page's security policy or shows axe-core a serious
or critical accessibility violation (the refused form included).

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from clusters.models import ActionItem, Meeting
from monitoring.models.activities import Activity
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path("/tmp")


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_bso_staff_record_a_meeting_with_a_decision_and_an_action_item_on_a_phone(
    world, live_server
):
    cluster = world.inside
    member = world.committees["inside"].member
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    committee_path = f"/clusters/{cluster.pk}/committee/"

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "bso", committee_path)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Steering committee")
            assert _sideways_overflow(page) <= 0
            violations = serious_violations(page)

            page.get_by_role("link", name="Record a meeting").click()
            page.get_by_role("button", name="Save").click()  # nothing typed: refused, said why
            expect(page.locator("[data-error-summary]")).to_contain_text("Held on")
            violations += serious_violations(page)
            page.get_by_label("Held on").fill(held_on.isoformat())
            page.get_by_label("Location").fill("Chamber of commerce")
            page.get_by_label(str(member)).check()
            page.get_by_label("Minutes").fill("The committee reviewed the work plan.")
            page.get_by_label("Decisions").fill("Join the regional wine fair")
            assert _sideways_overflow(page) <= 0
            page.screenshot(path=str(SCREENSHOTS / "governance_meeting_form_phone.png"))
            page.get_by_role("button", name="Save").click()

            expect(page.locator(".decisions")).to_contain_text("Join the regional wine fair")
            page.get_by_role("link", name="Add an action item", exact=True).click()
            page.get_by_label("Title").fill("Book the stand")
            decision = f"{held_on}: Join the regional wine fair"
            page.get_by_label("Decision").select_option(label=decision)
            page.get_by_label("Owner").select_option(label=str(member))
            page.get_by_label("Due on").fill("2030-03-01")
            page.get_by_role("button", name="Save").click()

            row = page.locator("table.action-items tr", has_text="Book the stand")
            expect(row).to_contain_text("Join the regional wine fair")
            expect(row).to_contain_text(member.name)
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            page.screenshot(path=str(SCREENSHOTS / "governance_meeting_phone.png"), full_page=True)

            page.goto(f"{live_server.url}{committee_path}")
            expect(page.locator("#action-items")).to_contain_text("Book the stand")
            assert _sideways_overflow(page) <= 0
            violations += serious_violations(page)
            assert violations == []
            page.screenshot(
                path=str(SCREENSHOTS / "governance_committee_phone.png"), full_page=True
            )
            # The one refused form answered 400, as it should: the browser logs that.
            refused = f"{live_server.url}/clusters/{cluster.pk}/committee/meetings/new/"
            assert [p for p in problems if not (p.startswith(refused) and "400" in p)] == []
        finally:
            browser.close()

    meeting = Meeting.objects.get(committee__cluster=cluster, held_on=held_on)
    item = ActionItem.objects.get(title="Book the stand")
    assert (item.meeting, item.decision.text, item.owner) == (
        meeting,
        "Join the regional wine fair",
        member,
    )
    assert Activity.objects.get(meeting=meeting).bso == world.bso
