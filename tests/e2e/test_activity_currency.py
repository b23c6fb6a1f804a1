"""The activity form in a real browser: static/js/activity-currency.js proposes the currency of
the cluster chosen (its country's here), and leaves one typed by hand alone; a made-up code is
refused by the server with the rest of the form kept.

Runs Debian's chromium through Playwright against pytest-django's live server (as
test_import_progress.py). A missing browser fails the test.
"""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from monitoring.models import Activity
from tests.e2e.browser import launch, sign_in
from tests.factories import ClusterSupportFactory

pytestmark = pytest.mark.e2e


def test_the_currency_follows_the_cluster_until_typed(world, live_server):
    # The BSO now supports a cluster in Argentina and one in Ecuador: no single guess on load.
    ClusterSupportFactory(bso=world.bso, cluster=world.outside)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.set_default_timeout(15_000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))

            sign_in(page, live_server.url, "bso", "/activities/new/")
            currency = page.get_by_label("Currency")
            expect(currency).to_have_value("")
            cluster = page.get_by_label("Cluster")
            cluster.select_option(str(world.inside.pk))
            expect(currency).to_have_value("ARS")
            cluster.select_option(str(world.outside.pk))
            expect(currency).to_have_value("USD")

            currency.fill("XYZ")  # typed by hand: the cluster no longer changes it
            cluster.select_option(str(world.inside.pk))
            expect(currency).to_have_value("XYZ")
            page.get_by_label("Title").fill("Pruning course")
            page.get_by_label("Type").select_option("training")
            page.get_by_role("button", name="Save", exact=True).click()
            # said beside the input (which names it) and linked from the summary at the top
            refused = "XYZ is not an ISO 4217 currency code"
            expect(page.locator("#id_currency_error")).to_contain_text(refused)
            expect(currency).to_have_attribute("aria-describedby", re.compile("id_currency_error"))
            expect(page.locator("[data-error-summary] a[href='#id_currency']")).to_contain_text(
                refused
            )
            expect(page.get_by_label("Title")).to_have_value("Pruning course")
        finally:
            browser.close()
    assert not Activity.objects.exists()
    # the refused form answers 400, which the console notes; nothing else may be there
    others = [e for e in errors if "status of 400" not in e]
    assert others == []  # no script error, nothing refused by the content security policy
