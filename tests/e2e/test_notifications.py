"""The bell and the inbox at a phone's width (390 px), in a real browser: the bell stays in the
header beside the folded menu with its count, the list fits the screen, and marking all read
empties the count."""

import pytest
from playwright.sync_api import expect, sync_playwright

from notifications.services import notify
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_the_bell_and_the_inbox_on_a_phone(rolled, live_server):
    staff = rolled.users["bso_staff"]
    for comment in ("The staff turnover denominator looks like last year's headcount.", "Two"):
        notify(
            kind="returned",
            recipients=[staff],
            link="/",
            params={"by": "Ana Pérez", "cluster": "Mendoza wine", "period": "2025-Q1"}
            | {"comment": comment},
        )
    staff.refresh_from_db()
    unread = staff.unread_notifications  # these two and the approval of the world's report
    assert unread == 3
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "bso", "/")

            bell = page.locator(".site-header .bell")
            expect(bell).to_be_visible()  # not folded away with the menu
            expect(bell).to_contain_text(f"{unread} unread")
            bell.click()
            page.wait_for_load_state()
            assert page.url.endswith("/notifications/")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], width
            expect(page.locator("[data-notification]")).to_have_count(unread)

            page.get_by_role("button", name="Mark all read").click()
            page.wait_for_load_state()
            expect(page.locator(".site-header .bell-count")).to_have_count(0)
            expect(page.locator(".notification-list li.unread")).to_have_count(0)
            assert problems == []
        finally:
            browser.close()
