"""The report, value and cluster lists are served from the cache (core.api_cache): a committed
change shows on the next read, and a list cached for one scope is never served to another.

These tests commit for real (the cache's data version moves on commit); the database is flushed
after each of them, data migrations' rows included, so they load the built-in templates again."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.services import report_open
from scorecards.builtin import load_builtin_templates
from scorecards.models import KPI, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import record

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
