"""The first hour of each demo login, in a real browser at a laptop's width (1366 px) and a
phone's (390 px): the README's five-minute tour per role. Each login signs in with the demo
password, lands on its dashboard and opens what the tour names (the BSO fills and submits a
report, the officer approves one, the ministry reads its national dashboard, the regional body
its region's and the benchmark, the administrator enrols a second factor and finds the
recomputes and the admin); one story joins three of them (the BSO submits, the officer
approves, the ministry sees its coverage move). On every page: no sideways scroll, no console
error or policy violation, no serious or critical axe-core violation. A failing test leaves a
screenshot of its pages in test-artifacts/e2e/ (tests/e2e/artifacts.py).

The demo is seeded once for the module (committed, so the live server's threads see it) and
the database emptied at its end; so that the tests do not depend on their order, each width
submits a different cluster's report, and the officer approves whatever comes first.
"""

import io
import re

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from demo.data import DEMO_PASSWORD
from scorecards.builtin import load_builtin_templates
from tests.accounts.signin import secret_of, totp
from tests.e2e.accessibility import serious_violations
from tests.e2e.artifacts import keep_on_failure
from tests.e2e.browser import launch, sign_in, watch_problems

# django_db: pytest-django creates the test database only for a run that collects a test asking
# for it; without the mark, running this module alone would seed and empty the real one.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
REAL_DATABASE = settings.DATABASES["default"]["NAME"]  # read before the test database exists

WIDTHS = {
    "desktop": {"width": 1366, "height": 768},
    "phone": {"width": 390, "height": 844},
}
width = pytest.mark.parametrize("viewport", WIDTHS.values(), ids=WIDTHS.keys())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world, committed, and a live server of the module's own (pytest-django's
    `live_server` would empty the database after every test); the database stays open to the
    test and the server until the module ends, then it is emptied and the data migrations'
    rows put back."""
    assert connection.settings_dict["NAME"] != REAL_DATABASE, "not the test database"
    with django_db_blocker.unblock():
        load_builtin_templates(django_apps)  # an earlier live-server test flushed them
        call_command("seed_demo", stdout=io.StringIO())
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            # As the data migrations left it for the database tests that run after these (they
            # are not transactional tests, so pytest-django does not sort them last): empty,
            # but for the built-in scorecard templates.
            call_command("flush", interactive=False, verbosity=0)
            load_builtin_templates(django_apps)


@pytest.fixture
def open_page(request):
    """A page at the viewport given, in Debian's Chromium; kept for a screenshot if the test
    fails; with the console's problems collected on `page.problems`."""
    playwright = sync_playwright().start()
    browser = launch(playwright)

    def open_page(viewport):
        page = browser.new_page(viewport=viewport)
        page.set_default_timeout(20_000)
        page.problems = watch_problems(page)
        keep_on_failure(request.node, page)
        return page

    yield open_page
    browser.close()
    playwright.stop()


def sign_in_demo(page, url: str, username: str) -> None:
    """The login form, with the demo password and no `next`: where the product sends them."""
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def looks_right(page) -> None:
    """What every page of the tour must be, at any width."""
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"{page.url} scrolls {sideways} px sideways"
    assert serious_violations(page) == []
    assert page.problems == [], "\n".join(page.problems)


def fits(page, locator) -> None:
    """The element is on the screen, not cut by its table's edge or the window's."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5, locator


def fill_empty_inputs(page) -> None:
    """Every value the draft still lacks, as the BSO would type it: ratios 1 of 4, women and
    men 1 each, yes/no "yes", other numbers 1."""
    for entry in page.locator("fieldset.kpi-entry").all():
        kind = entry.get_attribute("data-kind")
        for field in entry.locator("input[type=number]").all():
            name = field.get_attribute("data-field")
            if field.input_value() or (kind == "sex" and name == "value"):
                continue  # a total of women and men is theirs to add up
            field.fill({"numerator": "1", "denominator": "4"}.get(name, "1"))
        for select in entry.locator("select").all():
            if not select.input_value():
                select.select_option("1")


# BSO staff -----------------------------------------------------------------------------------

# Each width submits its own cluster's overdue draft (the story below submits Mendoza wine's).
# The phone takes the longest name, the widest to-do table.
BSO_DRAFTS = {"desktop": "Córdoba software", "phone": "Rafaela metalworking and machinery"}


@pytest.mark.parametrize(
    ("viewport", "cluster"), [(WIDTHS[k], v) for k, v in BSO_DRAFTS.items()], ids=BSO_DRAFTS.keys()
)
def test_bso_staff_land_on_their_to_do_list_and_submit_a_report(demo, open_page, viewport, cluster):
    page = open_page(viewport)
    sign_in_demo(page, demo, "bso")

    # The to-do list: the latest quarter of every INTI cluster, overdue, deadline and state shown.
    expect(page).to_have_url(re.compile(r"/dashboards/bso/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My dashboard")
    todo = page.locator(".todo-table")
    row = todo.locator("tbody tr", has=page.get_by_role("link", name=cluster))
    expect(row.locator("[data-overdue]")).to_have_text("Overdue")
    for cell in ("deadline", "state"):
        for each in todo.locator(f"[data-cell={cell}]").all():
            fits(page, each)
    fits(page, row.locator("[data-overdue]"))
    looks_right(page)

    # Open the cluster's report (a draft, or the scorecard where a report is started).
    row.get_by_role("link", name=cluster).click()
    start = page.get_by_role("button", name=re.compile(r"^Start the .* report$"))
    if start.count():
        start.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{cluster}: report")
    looks_right(page)
    fill_empty_inputs(page)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".subtitle")).to_contain_text("Submitted")
    looks_right(page)

    # It leaves the to-do list.
    page.goto(f"{demo}/dashboards/bso/")
    expect(page.locator(".todo-table").get_by_role("link", name=cluster)).to_have_count(0)

    # The cluster's own dashboard (scorecard, trends, committee and its action items).
    page.get_by_role("link", name="dashboard", exact=True).first.click()  # not the menu
    expect(page).to_have_url(re.compile(r"/dashboards/cluster/[0-9]+/$"))
    looks_right(page)
    # and its public page with the steering committee's members
    page.get_by_role("link", name="Cluster page").first.click()
    expect(page.locator("#steering-committee")).to_be_visible()
    looks_right(page)

    # The activity log: the filters offer INTI's clusters only.
    page.goto(f"{demo}/activities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity log")
    clusters = page.get_by_label("Cluster", exact=True).locator("option").all_inner_texts()
    assert sorted(c for c in clusters if "-" not in c) == [
        "Córdoba software",
        "Mendoza wine",
        "Rafaela metalworking and machinery",
    ]
    for cell in page.locator(".activity-table tbody tr").first.locator("td").all():
        fits(page, cell)  # every fact of an activity, on a phone too
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0
    assert page.problems == [], "\n".join(page.problems)


# Program officer -----------------------------------------------------------------------------


@width
def test_the_officer_lands_on_the_reviews_waiting_and_approves_one(demo, open_page, viewport):
    page = open_page(viewport)
    sign_in_demo(page, demo, "officer")

    expect(page).to_have_url(re.compile(r"/dashboards/officer/$"))
    looks_right(page)

    page.goto(f"{demo}/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports to review")
    first = page.locator(".review-table tbody tr").first
    report = first.get_attribute("data-report")
    fits(page, first.get_by_role("button", name="Approve"))
    looks_right(page)

    # Open it, read it, approve it: it leaves the queue.
    first.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report}/$"))
    looks_right(page)
    page.get_by_role("button", name="Approve").click()
    page.goto(f"{demo}/reviews/")
    expect(page.locator(f".review-table tr[data-report='{report}']")).to_have_count(0)

    # The programs' money.
    page.goto(f"{demo}/programs/")
    expect(page.locator(".portfolio-table")).to_be_visible()
    looks_right(page)


# Ministry ------------------------------------------------------------------------------------


@width
def test_the_ministry_lands_on_argentinas_national_dashboard(demo, open_page, viewport):
    page = open_page(viewport)
    sign_in_demo(page, demo, "ministry")

    expect(page.get_by_role("heading", level=1)).to_have_text("Argentina: national dashboard")
    # Titled by the scorecard Argentina's clusters adopted, every core KPI with its coverage
    # of all three clusters.
    expect(page.locator("main")).to_contain_text("Thai Food Cluster")
    lean = page.locator("tr[data-kpi=thai-lean]")
    expect(lean.locator("[data-cell=coverage]")).to_contain_text(re.compile(r"[0-3] / 3"))
    for cell in ("value", "target", "achievement"):  # the key columns, on a phone too
        fits(page, lean.locator(f"[data-cell={cell}]").first)
    looks_right(page)

    # A number opens on where it comes from.
    lean.locator("a[data-cell=value]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    looks_right(page)


# Regional body -------------------------------------------------------------------------------


@width
def test_the_regional_body_lands_on_its_region_and_benchmarks(demo, open_page, viewport):
    page = open_page(viewport)
    sign_in_demo(page, demo, "regional")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Andean Community: regional dashboard")
    )
    looks_right(page)

    page.goto(f"{demo}/dashboards/benchmark/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    looks_right(page)


# Administrator -------------------------------------------------------------------------------


@width
def test_the_administrator_enrols_a_second_factor_and_finds_the_recomputes(
    demo, open_page, viewport
):
    page = open_page(viewport)
    sign_in(page, demo, "admin", "/home/", password=DEMO_PASSWORD)  # enrols on the first
    if "/accounts/login/code/" in page.url:  # the other width enrolled: the code now
        device = TOTPDevice.objects.get(user__username="admin")
        page.get_by_label("Code").fill(totp(secret_of(device), steps_ahead=1))
        page.locator("main form").get_by_role("button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Administration dashboard")
    looks_right(page)

    page.goto(f"{demo}/rollups/runs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rollup recomputes")
    looks_right(page)

    page.goto(f"{demo}/admin/")
    expect(page.locator("#site-name")).to_contain_text("Clusterboard administration")


# The story -----------------------------------------------------------------------------------


def coverage(page, url: str, period: str) -> str:
    page.goto(f"{url}{period}")
    text = page.locator("tr[data-kpi=thai-lean] [data-cell=coverage]").inner_text()
    return re.search(r"([0-9]+) / 3", text).group(1)


def test_the_bso_submits_the_officer_approves_and_the_ministry_sees_it_move(demo, open_page):
    ministry, bso, officer = (open_page(WIDTHS["desktop"]) for _ in range(3))
    sign_in_demo(ministry, demo, "ministry")
    sign_in_demo(bso, demo, "bso")
    sign_in_demo(officer, demo, "officer")

    # Mendoza wine's overdue draft, from the BSO's to-do list.
    bso.locator(".todo-table").get_by_role("link", name="Mendoza wine").click()
    report_url = bso.url
    period = bso.locator("a", has_text="See the scorecard").get_attribute("href").split("?")[1]
    national = ministry.url.split("?")[0] + "?" + period
    before = coverage(ministry, "", national)

    fill_empty_inputs(bso)
    bso.get_by_role("button", name="Submit").click()
    expect(bso.locator(".subtitle")).to_contain_text("Submitted")

    officer.goto(report_url)
    officer.get_by_role("button", name="Approve").click()
    expect(officer.locator(".subtitle")).to_contain_text("Approved")

    after = coverage(ministry, "", national)
    assert int(after) == int(before) + 1
