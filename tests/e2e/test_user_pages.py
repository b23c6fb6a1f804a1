"""Users from pages in a browser, on a phone (390 px): an administrator opens Users from the
header, creates a BSO staff member (a missing BSO comes back listed at the top, beside its
field, with what was typed kept), and the new user's profile shows their role and scope;
axe-core finds no serious or critical violation on these pages."""

import pytest
from playwright.sync_api import expect, sync_playwright

from accounts.models import User
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_an_administrator_creates_a_user_who_sees_their_scope(world, live_server):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            sign_in(page, live_server.url, "admin", "/accounts/users/")
            expect(page.get_by_role("heading", name="Users")).to_be_visible()
            assert serious_violations(page) == []
            page.get_by_role("link", name="New user").click()
            page.get_by_label("Username").fill("lucia")
            page.get_by_label("First name").fill("Lucía")
            page.get_by_label("Email address").fill("lucia@example.org")
            page.get_by_label("Role").select_option("bso_staff")
            page.get_by_label("Password", exact=True).fill("a-long-first-pass")
            page.get_by_label("Password confirmation").fill("a-long-first-pass")
            page.get_by_role("button", name="Create the user").click()

            expect(page.locator("[data-error-summary]")).to_be_focused()
            expect(page.get_by_label("First name")).to_have_value("Lucía")
            assert serious_violations(page) == []
            page.get_by_label("BSO", exact=True).select_option(str(world.bso.pk))
            page.get_by_label("Password", exact=True).fill("a-long-first-pass")
            page.get_by_label("Password confirmation").fill("a-long-first-pass")
            page.get_by_role("button", name="Create the user").click()
            expect(page.locator(".messages")).to_contain_text("lucia was created.")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

            other = browser.new_page(viewport=PHONE)
            other.goto(f"{live_server.url}/accounts/login/?next=/accounts/")
            other.get_by_label("Username").fill("lucia")
            other.get_by_label("Password").fill("a-long-first-pass")
            other.locator("main form").get_by_role("button", name="Sign in").click()
            expect(other.locator("[data-scope]")).to_contain_text(world.bso.name)
            expect(other.locator("[data-scope-clusters]")).to_contain_text(world.inside.name)
            assert serious_violations(other) == []
            refused = [p for p in problems if "status of 400" in p and "/accounts/users/" in p]
            assert len(refused) == 1
            assert [p for p in problems if p not in refused] == []
        finally:
            browser.close()

    assert User.objects.get(username="lucia").bso == world.bso
