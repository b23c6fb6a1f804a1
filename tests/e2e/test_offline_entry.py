"""Entry without a connection in a real browser (issue 16, item 6): the activity quick entry
and a report's values, opened online, keep working with the network switched off
(context.set_offline): what is saved waits on the device, listed on the page, and is sent
when the connection returns. A value changed on the server meanwhile is a conflict shown on
the page; the server's value stays.

Runs Debian's chromium through Playwright against pytest-django's live server (as
test_report_flow.py). A missing browser fails the test.
"""

from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect, sync_playwright

from clusters.models import Cluster
from monitoring.models import Activity, Measurement
from monitoring.reports.services import report_record_values
from scorecards.builtin import load_builtin_templates
from tests.e2e.accessibility import serious_violations
from tests.e2e.browser import launch, sign_in, watch_problems
from tests.world import build_thai

pytestmark = pytest.mark.e2e


@pytest.fixture
def offline_world(world):
    """world.inside on the Thai Food scorecard with its 2025-Q1 report (world.report)."""
    # A live server's test flushes the database after it, data migrations' rows included.
    load_builtin_templates(django_apps)
    return build_thai(world)


def _value(report, code: str) -> Measurement:
    return Measurement.objects.get(report=report, kpi__code=code)


def _open_offline_ready(page, base_url: str, path: str) -> None:
    sign_in(page, base_url, "bso", path)
    # the service worker keeps the page and its static files, then the page says so
    expect(page.locator("[data-offline-queue][data-offline-ready='1']")).to_have_count(1)


# Chromium reports each request the switched-off network refused, and each answer of an error
# status, as a console error: those expected here are left out; anything else (a script error,
# a policy violation) is a problem.
def _real_problems(problems: list[str], *, expected: str = "ERR_INTERNET_DISCONNECTED") -> list:
    return [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p and expected not in p]


def test_a_value_and_an_activity_saved_offline_are_sent_when_the_connection_returns(
    offline_world, live_server
):
    world = offline_world
    report_path = world.report.get_absolute_url()
    lean = _value(world.report, "thai-lean")
    assert lean.value is None

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.set_default_timeout(15_000)
            problems = watch_problems(page)

            # Opened once online: both pages are kept.
            _open_offline_ready(page, live_server.url, "/activities/new/")
            page.goto(f"{live_server.url}{report_path}")
            expect(page.locator("[data-offline-queue][data-offline-ready='1']")).to_have_count(1)

            context.set_offline(True)

            # The report page opens again without a connection, from what was kept (the
            # server, which now says another name, is not asked).
            Cluster.objects.filter(pk=world.inside.pk).update(name="Renamed meanwhile")
            page.reload()
            expect(page.get_by_role("heading", level=1)).to_contain_text(
                "Mendoza wine: report 2025-Q1"
            )
            Cluster.objects.filter(pk=world.inside.pk).update(name=world.inside.name)
            queue = page.locator("[data-offline-queue]")
            expect(queue.locator("[data-offline-status]")).to_contain_text("You are offline")
            fieldset = page.locator("fieldset[data-kpi=thai-lean]")
            fieldset.locator("[data-field=value]").fill("7")
            page.get_by_role("button", name="Save draft").click()
            item = queue.locator("[data-offline-item=report]")
            expect(item).to_contain_text("Report 2025-Q1 · Mendoza wine: 1 value")
            expect(item).to_have_attribute("data-state", "queued")
            assert serious_violations(page) == []

            # The activity quick entry, opened offline too.
            page.goto(f"{live_server.url}/activities/new/")
            page.get_by_label("Cluster").select_option(str(world.inside.pk))
            page.get_by_label("Type").select_option("training")
            page.get_by_label("Title").fill("Pruning course in the field")
            page.get_by_label("Currency").fill("ARS")
            page.get_by_role("button", name="Save", exact=True).click()
            activity_item = queue.locator("[data-offline-item=activity]")
            expect(activity_item).to_contain_text("Pruning course in the field")
            expect(page.get_by_label("Title")).to_have_value("")  # ready for the next one
            # the report's values wait too, listed here
            expect(queue.locator("[data-offline-item=report]")).to_have_attribute(
                "data-state", "waiting"
            )

            # Nothing reached the server while offline.
            assert not Activity.objects.exists()
            assert _value(world.report, "thai-lean").value is None

            # Back online: both are sent and saved.
            context.set_offline(False)
            expect(queue.locator("[data-state=sent]")).to_have_count(2)
            expect(activity_item).to_contain_text("was logged")
            expect(queue.locator("[data-offline-status]")).not_to_contain_text("You are offline")
            key = f"clusterboard-offline:{world.users['bso_staff'].pk}"
            assert page.evaluate("localStorage.length") == 1  # the user's queue, now empty
            assert page.evaluate(f"localStorage.getItem('{key}')") == "[]"
        finally:
            browser.close()

    assert _real_problems(problems) == [], "\n".join(problems)
    activity = Activity.objects.get()
    assert (activity.title, activity.cluster, activity.type) == (
        "Pruning course in the field",
        world.inside,
        "training",
    )
    lean = _value(world.report, "thai-lean")
    assert lean.value == Decimal("7")
    assert lean.updated_by == world.users["bso_staff"]


def test_a_value_changed_on_the_server_while_offline_is_a_conflict_not_overwritten(
    offline_world, live_server
):
    world = offline_world
    report_path = world.report.get_absolute_url()
    jit = _value(world.report, "thai-jit")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            problems = watch_problems(page)
            _open_offline_ready(page, live_server.url, report_path)

            context.set_offline(True)
            page.locator("fieldset[data-kpi=thai-jit] [data-field=value]").fill("3")
            page.get_by_role("button", name="Save draft").click()
            queue = page.locator("[data-offline-queue]")
            expect(queue.locator("[data-offline-item=report]")).to_have_attribute(
                "data-state", "queued"
            )

            # Meanwhile someone else saves the same value on the server.
            report_record_values(
                report=world.report,
                rows={jit.kpi_id: {"value": "9", "revision": jit.revision}},
                user=world.users["bso_staff"],
            )

            context.set_offline(False)
            item = queue.locator("[data-offline-item=report]")
            expect(item).to_have_attribute("data-state", "conflict")
            expect(item).to_contain_text("changed on the server meanwhile")
            # the server's own words: which value, and that nothing was saved
            expect(item.locator("[data-offline-message]")).to_contain_text("just-in-time (JIT)")
            expect(item.get_by_role("link", name="Reload the report")).to_be_visible()
            assert serious_violations(page) == []

            # The conflict stays on the device (not sent again) until discarded.
            page.reload()
            expect(item).to_have_attribute("data-state", "conflict")
            item.get_by_role("button", name="Discard").click()
            expect(queue.locator("[data-offline-item]")).to_have_count(0)
        finally:
            browser.close()

    # the conflict answer itself (409) is expected
    assert _real_problems(problems, expected="status of 409") == [], "\n".join(problems)
    jit = _value(world.report, "thai-jit")
    assert jit.value == Decimal("9")
    assert jit.revision == 1  # opened at 0, the other save made it 1; the offline one never ran
