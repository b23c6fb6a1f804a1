"""The national dashboard in a real browser: the ministry user signs in, lands on their
country's dashboard, reads a KPI value with its coverage, and switches to Spanish; its trend
lines print as lines; nothing is requested from outside the site.

Debian's chromium through Playwright's sync API against pytest-django's live server (the
same set-up as test_rollup_pages.py). A missing browser fails the test.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.browser import PASSWORD, launch, watch_problems

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/dashboard_country.png")


def test_the_ministry_lands_on_its_national_dashboard_and_reads_it_in_spanish(rolled, live_server):
    foreign: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = watch_problems(page)  # console errors, policy violations
            page.set_default_timeout(15_000)
            page.on(
                "request",
                lambda request: (
                    None if request.url.startswith(live_server.url) else foreign.append(request.url)
                ),
            )

            # Signing in without a `next` lands on the home, which sends a ministry user on.
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill("ministry")
            page.get_by_label("Password").fill(PASSWORD)
            page.locator("main form").get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Argentina: national dashboard"
            )
            assert f"/dashboards/country/{rolled.argentina.pk}/" in page.url

            # A KPI's value with its coverage beside it.
            row = page.locator("tr[data-kpi=thai-lean]")
            expect(row.locator("[data-cell=value]")).to_have_text("2")
            expect(row.locator("[data-cell=coverage]")).to_contain_text("1 / 1 cluster reporting")

            # Spanish, with the same number.
            page.get_by_role("button", name="Español").click()
            expect(page.locator("html")).to_have_attribute("lang", "es")
            expect(row.locator("[data-cell=value]")).to_have_text("2")
            expect(page.get_by_role("button", name="Español")).to_have_attribute(
                "aria-pressed", "true"
            )
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            # In print, a trend stays a black line (not a grey area under it).
            page.emulate_media(media="print")
            line_style = page.evaluate(
                """() => {
                    const line = document.createElementNS(
                        "http://www.w3.org/2000/svg", "polyline");
                    line.setAttribute("class", "chart-line");
                    document.querySelector("svg.chart").appendChild(line);
                    const style = getComputedStyle(line);
                    return [style.fill, style.stroke];
                }"""
            )
            assert line_style == ["none", "rgb(0, 0, 0)"]
        finally:
            browser.close()

    assert problems == [], "\n".join(problems)

    assert foreign == [], f"the page loaded resources from outside the server: {foreign}"
