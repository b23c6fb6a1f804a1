"""The cluster map on the directory at a phone's width, in a real browser: it fits the screen,
each cluster is a keyboard-focusable marker named by its label, the page asks nothing of
another site, and axe finds no serious or critical violation.

Debian's chromium through Playwright against pytest-django's live server (tests/e2e/conftest.py
has the `rolled` world: Mendoza's 2025-Q1 approved and rolled up)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_the_directory_map_at_a_phones_width(rolled, live_server):
    world = rolled
    world.inside.latitude, world.inside.longitude = Decimal("-32.89"), Decimal("-68.83")
    world.inside.save(update_fields=["latitude", "longitude"])
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            problems = watch_problems(page)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, "bso", "/directory/")

            svg = page.locator("svg.map")
            expect(svg).to_be_visible()
            svg.screenshot(path="/tmp/phone_map.png")
            box = svg.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            markers = page.locator("svg.map .map-marker")
            expect(markers).to_have_count(2)  # Mendoza wine and Atuntaqui garments

            # Each marker is reached by the keyboard and named by its label.
            mendoza = page.locator(f'svg.map a.map-link:has([data-key="{world.inside.pk}"])')
            mendoza.focus()
            focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
            assert focused.startswith("Mendoza wine, Argentina")
            page.keyboard.press("Tab")
            after = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
            assert after.startswith("Atuntaqui garments") or after == ""

            # The same clusters as a table.
            page.get_by_text("The clusters on the map as a table").click()
            expect(page.locator("details.map-table tbody tr")).to_have_count(2)

            assert serious_violations(page) == []
            outside = [url for url in requested if not url.startswith(live_server.url)]
            assert outside == []
            assert problems == []
        finally:
            browser.close()
