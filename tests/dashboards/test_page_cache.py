"""Dashboards served from the cache (dashboards.page_cache): a committed change shows on the next
read, a body cached for one scope is never served to another, users of one scope share it.

These tests commit for real (the cache's data version moves on commit); the database is flushed
after each of them, data migrations' rows included, so they load the built-in templates again."""

import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.rollups.staleness import process_stale
from scorecards.builtin import load_builtin_templates
from tests.factories import UserFactory
from tests.monitoring.rollup_reference import report_with

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def builtin_templates(transactional_db):
    load_builtin_templates(django_apps)


def get(client, url, params=None, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def country_url(dash) -> str:
    return reverse("dashboard-country", args=[dash.argentina.pk])


def body(html: str) -> str:
    """The page below the site's header (which holds the user's name and a fresh CSRF token)."""
    return re.search(r"<main.*</main>", html, re.S).group(0)


def lean_value(html: str) -> str:
    row = re.search(r'<tr data-kpi="thai-lean".*?</tr>', html, re.S).group(0)
    return re.search(r'data-cell="value"[^>]*>\s*([^<\s]+)\s*<', row).group(1)


def test_the_national_dashboard_shows_a_newly_approved_value_once_it_is_rolled_up(dash, client):
    client.force_login(dash.users["ministry"])
    url, params = country_url(dash), {"period": dash.p["q1"].pk}
    first, computed = get(client, url, params)
    again, served = get(client, url, params)
    assert lean_value(first) == "12"  # inside 5 + third 7
    assert body(again) == body(first) and served < computed  # the second came from the cache

    # the program officer reopens inside's report, corrects thai-lean to 8 and approves it
    report_with(dash.inside, dash.p["q1"], {"thai-returns": (4, 6), "thai-lean": 8})
    process_stale()

    assert lean_value(get(client, url, params)[0]) == "15"  # 8 + 7


def test_a_renamed_cluster_shows_its_new_name_on_the_next_read(dash, client):
    client.force_login(dash.users["ministry"])
    url = reverse("dashboard-country", args=[dash.argentina.pk])
    assert "Córdoba dairy" in get(client, url, {"period": dash.p["q1"].pk})[0]

    dash.third.name = "Córdoba dairy and cheese"
    dash.third.save(update_fields=["name"])

    assert "Córdoba dairy and cheese" in get(client, url, {"period": dash.p["q1"].pk})[0]


@pytest.mark.parametrize("first_role", ["admin", "bso_staff"])
def test_a_body_cached_for_one_scope_is_never_served_to_another(dash, client, first_role):
    # administrators may open the BSO home page too: it lists every cluster for them, and only
    # the BSO's own clusters for its staff
    url = reverse("dashboard-bso")
    pages = {}
    for role in [first_role, *({"admin", "bso_staff"} - {first_role})]:
        client.force_login(dash.users[role])
        pages[role] = get(client, url)[0]

    assert dash.outside.name in pages["admin"]
    assert dash.outside.name not in pages["bso_staff"]
    assert dash.inside.name in pages["bso_staff"]


def test_a_body_cached_for_the_ministry_is_not_served_to_a_program_officer(dash, client):
    # Argentina's ranking: the ministry sees every Argentine cluster, the officer only the
    # clusters of their programs (not a new one, enrolled nowhere)
    from tests.factories import ClusterFactory

    lone = ClusterFactory(name="Rosario software", country=dash.argentina)
    url = reverse("dashboard-country", args=[dash.argentina.pk])
    params = {"period": dash.p["q1"].pk}
    client.force_login(dash.users["ministry"])
    assert lone.name in get(client, url, params)[0]

    client.force_login(dash.users["program_officer"])
    html = get(client, url, params)[0]

    assert lone.name not in html
    assert dash.inside.name in html


def test_users_of_one_scope_share_a_cached_body(dash, client):
    colleague = UserFactory(
        username="ministry-2", role=dash.users["ministry"].role, country=dash.argentina
    )
    url, params = country_url(dash), {"period": dash.p["q1"].pk}
    client.force_login(dash.users["ministry"])
    first, computed = get(client, url, params)

    client.force_login(colleague)
    theirs, served = get(client, url, params)

    assert served < computed
    assert body(theirs) == body(first)


def test_a_body_cached_in_english_is_not_served_in_spanish(dash, client):
    client.force_login(dash.users["ministry"])
    url, params = country_url(dash), {"period": dash.p["q1"].pk}
    assert "Core KPIs" in get(client, url, params, HTTP_ACCEPT_LANGUAGE="en")[0]

    spanish = get(client, url, params, HTTP_ACCEPT_LANGUAGE="es")[0]

    assert "KPI básicos" in spanish
    assert "Core KPIs" not in spanish


def test_the_frame_around_a_cached_body_is_the_current_users(dash, client):
    colleague = UserFactory(
        username="ministry-2",
        first_name="Second",
        last_name="Minister",
        role=dash.users["ministry"].role,
        country=dash.argentina,
    )
    url = reverse("dashboard-country", args=[dash.argentina.pk])
    client.force_login(dash.users["ministry"])
    get(client, url)

    client.force_login(colleague)
    html = get(client, url)[0]

    assert "Second Minister" in html
    assert "<title>Argentina: national dashboard · Clusterboard</title>" in html


def test_a_draft_leaves_the_national_dashboards_cached_and_its_approval_retires_them(dash, client):
    client.force_login(dash.users["ministry"])
    url, params = country_url(dash), {"period": dash.p["q1"].pk}
    first, computed = get(client, url, params)
    served = get(client, url, params)[1]

    # Ecuador's cluster saves a draft of its next report: approved values only are shown
    report_with(dash.outside, dash.p["q2"], {"thai-lean": 30}, state="draft")

    again, after_draft = get(client, url, params)
    assert after_draft == served < computed  # still the cached body
    assert body(again) == body(first)

    # ... and so does Argentina's inside
    report_with(dash.inside, dash.p["q2"], {"thai-lean": 30}, state="draft")
    assert get(client, url, params)[1] == served

    # reopening Ecuador's approved Q1 report changes what the approved values are
    report_with(dash.outside, dash.p["q1"], {"thai-lean": 30}, state="approved")
    process_stale()
    assert get(client, url, params)[1] > served  # retired: computed again
