"""Totals far above any one value: a sum KPI's global year adds up every cluster's four
quarters, each as large as a value may be (monitoring.values.MAX_MAGNITUDE), and is stored
and served exactly."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from bench.world import build_world
from monitoring.models import Measurement, Rollup
from monitoring.rollups.engine import recompute
from monitoring.values import FOUR_PLACES, MAX_MAGNITUDE
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite bounds no numeric's digits, and the world is built with PostgreSQL's SQL",
)

CLUSTERS = 2600  # x 4 quarters x the largest value: above 10 ** 16


def test_a_total_thousands_of_times_the_largest_value_is_stored_and_served_exactly(
    db, api_client, client
):
    with connection.cursor() as cursor:
        ids = build_world(cursor, clusters=CLUSTERS, kpis=1, periods=4, first_year=2020)
    largest = MAX_MAGNITUDE - FOUR_PLACES  # 999 999 999 999.9999
    Measurement.objects.update(value=largest, value_women=None, value_men=None)
    recompute()

    kpi, year = ids["kpis"][0], ids["years"][0]
    total = largest * 4 * CLUSTERS  # a flow's year: the sum of its quarters, of every cluster
    assert total > 10**16
    row = Rollup.objects.get(kpi_id=kpi, period_id=year, level="global")
    assert (row.value, row.clusters_reporting) == (total, CLUSTERS)

    admin = UserFactory()  # an administrator
    api_client.force_authenticate(admin)
    response = api_client.get(
        reverse("api:rollup-list"), {"kpi": kpi, "level": "global", "period": year}
    )
    assert response.status_code == 200, response.content
    [served] = response.json()["results"]
    assert Decimal(served["value"]) == total

    client.force_login(admin)
    page = client.get(reverse("rollup-detail", args=[kpi, year, "global", 0]))
    assert page.status_code == 200
    assert f'data-cell="value">{total:,.2f}' in page.content.decode()  # 10,399,999,...,998.96
