"""The pages in a real browser: search the directory, open a cluster, sign in, read it in Spanish.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
A missing browser fails the test (a skipped browser test would hide a broken page).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from clusters.models import Sex, StakeholderType
from tests.e2e.browser import PASSWORD, launch, watch_problems
from tests.factories import CommitteeMemberFactory

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/cluster_page.png")


def test_visitor_finds_a_cluster_signs_in_sees_governance_and_reads_it_in_spanish(
    world, live_server
):
    # Given two clusters that a search for "wine" tells apart,
    world.outside.locality, world.outside.sector = "Atuntaqui", "garments"
    world.outside.save()
    # and a committee of 4 current members: 1 private-sector, 3 women -> 25% and 75%.
    committee = world.committees["inside"].committee  # its member: private sector, woman
    CommitteeMemberFactory(
        committee=committee, stakeholder_type=StakeholderType.PUBLIC, sex=Sex.MALE
    )
    CommitteeMemberFactory(
        committee=committee,
        name="Lucía Gómez",
        stakeholder_type=StakeholderType.ACADEMIA,
        sex=Sex.FEMALE,
    )
    CommitteeMemberFactory(
        committee=committee, stakeholder_type=StakeholderType.NGO, sex=Sex.FEMALE
    )
    requested: list[str] = []

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)  # console errors, policy violations
            page.set_default_timeout(15_000)
            page.on("request", lambda request: requested.append(request.url))

            # The public directory: searching narrows the table to one cluster.
            page.goto(f"{live_server.url}/directory/")
            table = page.locator("table.directory-table")
            expect(table.get_by_role("link", name="Atuntaqui garments")).to_be_visible()
            page.get_by_label("Search").fill("wine")
            page.get_by_role("button", name="Filter").click()
            expect(page).to_have_url(re.compile(r"q=wine"))
            expect(table.get_by_role("link", name="Atuntaqui garments")).to_have_count(0)

            # The cluster page, anonymously: profile yes, governance no.
            table.get_by_role("link", name="Mendoza wine").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mendoza wine")
            governance = page.locator("#steering-committee")
            expect(governance).to_contain_text("Governance details are visible")
            expect(governance.locator("[data-stat=members]")).to_have_count(0)

            # Signing in as BSO staff through the form brings the user back, governance shown.
            page.locator(".site-header").get_by_role("link", name="Sign in").click()
            page.get_by_label("Username").fill("bso")
            page.get_by_label("Password").fill(PASSWORD)
            page.locator("main form").get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mendoza wine")
            expect(governance.locator("[data-stat=members]")).to_have_text("4")
            expect(governance.locator("[data-stat=private-share]")).to_have_text("25%")
            expect(governance.locator("[data-stat=women-share]")).to_have_text("75%")
            expect(governance).to_contain_text("Lucía Gómez")

            # Switching to Spanish keeps the page and translates it.
            page.get_by_role("button", name="Español").click()
            expect(page.locator("html")).to_have_attribute("lang", "es")
            expect(page.get_by_role("heading", name="Comité de dirección")).to_be_visible()
            expect(governance).to_contain_text("Miembros actuales")
            expect(page.get_by_role("link", name="Mis clústeres")).to_be_visible()
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()

    assert problems == [], "\n".join(problems)

    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert requested
    assert outside == [], f"the pages loaded resources from outside the server: {outside}"
