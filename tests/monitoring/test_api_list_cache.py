"""The report, value, cluster and rollup lists are served from the cache (core.api_cache): a
committed change shows on the next read (the rollup engine's raw SQL included), a list cached
for one scope is never served to another, and a cached answer costs no query at all.

These tests commit for real (the cache's data version moves on commit); the database is flushed
after each of them, data migrations' rows included, so they load the built-in templates again."""

import datetime
import json

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens.services import token_issue
from bsos.models import ClusterSupport
from core import staleness
from monitoring.reports.services import report_open
from monitoring.rollups.staleness import process_stale
from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import record, report_with

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def builtin_templates(transactional_db):
    load_builtin_templates(django_apps)


def get(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response.json(), len(queries)


def test_a_recorded_value_shows_in_the_value_list_on_the_next_read(api_client, thai):
    api_client.force_authenticate(thai.users["bso_staff"])
    lean = KPI.objects.get(code="thai-lean")
    params = {"report": thai.report.pk, "kpi": lean.pk}
    first, computed = get(api_client, reverse("api:measurement-list"), params)
    again, served = get(api_client, reverse("api:measurement-list"), params)
    assert first["results"][0]["value"] is None
    assert again == first and served < computed  # the second came from the cache

    record(thai.report, {"thai-lean": 7})

    now = get(api_client, reverse("api:measurement-list"), params)[0]
    assert now["results"][0]["value"] == "7.0000"


@pytest.mark.parametrize("first_role", ["admin", "bso_staff"])
def test_a_report_list_cached_for_one_scope_is_never_served_to_another(
    api_client, thai, first_role
):
    scorecard_adopt(
        cluster=thai.outside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    outside = report_open(cluster=thai.outside, period=thai.q1)
    seen = {}
    for role in [first_role, *({"admin", "bso_staff"} - {first_role})]:
        api_client.force_authenticate(thai.users[role])
        reports = get(api_client, reverse("api:report-list"))[0]["results"]
        seen[role] = {r["id"] for r in reports}

    assert seen["admin"] == {thai.report.pk, outside.pk}
    assert seen["bso_staff"] == {thai.report.pk}


def test_a_new_cluster_shows_in_the_directory_list_on_the_next_read(api_client, world):
    first = get(api_client, reverse("api:cluster-list"))[0]

    ClusterFactory(code="rosario-software", name="Rosario software", country=world.argentina)

    now = get(api_client, reverse("api:cluster-list"))[0]
    assert now["count"] == first["count"] + 1
    assert "Rosario software" in {c["name"] for c in now["results"]}


# --- Served as bytes, without a query -----------------------------------------------------------


def token_client(user) -> APIClient:
    """A client that signs in as an API client does: a token on every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return client


@pytest.fixture
def rolled(thai):
    """Both clusters on the Thai Food scorecard, Q1 approved (lean: 5 inside, 10 outside) and
    rolled up."""
    scorecard_adopt(
        cluster=thai.outside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    report_with(thai.inside, thai.q1, {"thai-lean": 5})
    report_with(thai.outside, thai.q1, {"thai-lean": 10})
    process_stale()
    thai.lean = KPI.objects.get(code="thai-lean")
    return thai


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("api:cluster-list", {}),
        ("api:report-list", {}),
        ("api:measurement-list", {}),
        ("api:rollup-list", {"period": "q1"}),
        ("api:rollup-list", {"period": "q1", "level": "cluster"}),
    ],
)
def test_a_cached_list_is_served_without_a_single_query(
    rolled, name, params, django_assert_num_queries, settings
):
    # the token's user is cached where the cache is shared by every process (Redis); without
    # one it is read on every request (accounts.tokens.authentication)
    settings.API_TOKEN_USER_CACHE = True
    client = token_client(rolled.users["admin"])
    params = {k: rolled.q1.pk if v == "q1" else v for k, v in params.items()}
    first = client.get(reverse(name), params)
    assert first.status_code == 200 and first.json()["results"]

    # the token's user, the scope and the answer all come from the cache
    with django_assert_num_queries(0):
        again = client.get(reverse(name), params)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert "Accept" in again["Vary"]


def test_each_media_type_has_its_own_cached_bytes(api_client, rolled):
    api_client.force_authenticate(rolled.users["admin"])
    url = reverse("api:cluster-list")
    plain = api_client.get(url, HTTP_ACCEPT="application/json")
    indented = api_client.get(url, HTTP_ACCEPT="application/json; indent=4")

    assert b"\n    " not in plain.content
    assert b"\n    " in indented.content
    assert json.loads(plain.content) == json.loads(indented.content)


def test_the_browsable_api_is_not_cached(api_client, rolled):
    api_client.force_authenticate(rolled.users["admin"])
    url = reverse("api:report-list")
    api_client.get(url, HTTP_ACCEPT="text/html")
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"<html" in response.content
    assert any("monitoring_report" in q["sql"] for q in queries.captured_queries)


# --- The rollup list ----------------------------------------------------------------------------


def rollup_units(client, params) -> set[tuple[str, int]]:
    response = client.get(reverse("api:rollup-list"), {**params, "page_size": 1000})
    assert response.status_code == 200
    return {(row["level"], row["unit"]) for row in response.json()["results"]}


@pytest.mark.parametrize("first_role", ["admin", "ministry", "bso_staff"])
def test_a_rollup_list_cached_for_one_scope_is_never_served_to_another(rolled, first_role):
    clients = {
        role: token_client(rolled.users[role]) for role in ("admin", "ministry", "bso_staff")
    }
    totals = {"period": rolled.q1.pk, "kpi": rolled.lean.pk}
    per_cluster = {**totals, "level": "cluster"}
    seen = {}
    for role in [first_role, *sorted(set(clients) - {first_role})]:
        seen[role] = rollup_units(clients[role], totals), rollup_units(clients[role], per_cluster)

    argentina, ecuador = rolled.argentina.pk, rolled.ecuador.pk
    assert {("country", argentina), ("country", ecuador)} <= seen["admin"][0]
    assert seen["ministry"][0] == {("country", argentina)}
    assert seen["bso_staff"][0] == set()  # BSO staff read their clusters' rows only
    assert seen["admin"][1] == {("cluster", rolled.inside.pk), ("cluster", rolled.outside.pk)}
    assert seen["ministry"][1] == seen["bso_staff"][1] == {("cluster", rolled.inside.pk)}


def test_an_out_of_scope_rollup_still_answers_404_after_the_list_was_cached(rolled):
    admin, ministry = token_client(rolled.users["admin"]), token_client(rolled.users["ministry"])
    params = {"period": rolled.q1.pk, "level": "country", "unit": rolled.ecuador.pk}
    ecuador = admin.get(reverse("api:rollup-list"), params).json()["results"]
    assert ecuador

    assert ministry.get(reverse("api:rollup-list"), params).json()["results"] == []
    detail = reverse("api:rollup-detail", args=[ecuador[0]["id"]])
    assert ministry.get(detail).status_code == 404


def test_the_engines_raw_sql_retires_a_cached_rollup_list(api_client, rolled, monkeypatch):
    """The approval commits a stale marker but no rollup (the task is held back here); the
    list read then is cached; the engine's raw DELETE and INSERT alone must retire it."""
    monkeypatch.setattr(staleness, "_queue_processing", lambda: None)
    api_client.force_authenticate(rolled.users["admin"])
    params = {"period": rolled.q1.pk, "kpi": rolled.lean.pk, "level": "country"}

    def argentina():
        rows = get(api_client, reverse("api:rollup-list"), params)[0]["results"]
        return next(r for r in rows if r["unit"] == rolled.argentina.pk)

    report_with(rolled.inside, rolled.q1, {"thai-lean": 7})
    before = argentina()
    assert (before["value"], before["stale"]) == ("5.0000", True)
    assert argentina() == before  # served from the cache

    process_stale()

    after = argentina()
    assert (after["value"], after["stale"]) == ("7.0000", False)


def test_a_scope_that_ends_at_midnight_is_not_served_from_yesterdays_cache(
    api_client, thai, monkeypatch
):
    """A BSO's clusters are those it supports today: its cached lists are kept per day."""
    today = timezone.localdate()
    ClusterSupport.objects.filter(bso=thai.bso).update(until=today)
    api_client.force_authenticate(thai.users["bso_staff"])
    assert [r["id"] for r in get(api_client, reverse("api:report-list"))[0]["results"]] == [
        thai.report.pk
    ]

    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=1))

    assert get(api_client, reverse("api:report-list"))[0]["results"] == []


def test_a_draft_value_retires_the_value_list_and_leaves_the_cluster_list_cached(api_client, thai):
    api_client.force_authenticate(thai.users["bso_staff"])
    values, clusters = reverse("api:measurement-list"), reverse("api:cluster-list")
    params = {"report": thai.report.pk}
    get(api_client, values, params), get(api_client, clusters)
    served = {
        "values": get(api_client, values, params)[1],
        "clusters": get(api_client, clusters)[1],
    }

    record(thai.report, {"thai-lean": 7})

    answer, after = get(api_client, values, params)
    assert after > served["values"]  # computed again: it shows the draft value
    assert "7.0000" in {row["value"] for row in answer["results"]}
    assert get(api_client, clusters)[1] == served["clusters"]  # untouched: still cached
