"""Benchmarking: peer groups, the confidentiality rule and values per firm and employee."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Rollup
from monitoring.rollups.staleness import process_stale
from scorecards.services import scorecard_adopt
from tests.dashboards.conftest import START, kpi
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import report_with


def bench_page(client, dash, code="thai-lean", group="country"):
    params = {"kpi": kpi(code).pk, "period": dash.p["q1"].pk, "group": group}
    return client.get(reverse("dashboard-benchmark"), params)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def add_argentine_cluster(dash, lean=3):
    cluster = ClusterFactory(
        code="rafaela-metal",
        name="Rafaela metal",
        country=dash.argentina,
        number_of_firms=0,
        women_led_firms=0,
    )
    scorecard_adopt(cluster=cluster, template=dash.template, on=START)
    report_with(cluster, dash.p["q1"], {"thai-lean": lean})
    process_stale()
    return cluster


def test_a_peer_group_of_two_clusters_shows_no_individual_values(dash, client):
    client.force_login(dash.users["ministry"])

    response = bench_page(client, dash)

    (group,) = response.context["groups"]
    assert (group.label, group.size, group.confidential, group.shown) == ("Argentina", 2, True, [])
    html = response.content.decode()
    assert "data-confidential" in html
    assert "Mendoza wine" not in html and "Córdoba dairy" not in html


def test_a_peer_group_of_three_clusters_shows_their_values_best_first(dash, client):
    add_argentine_cluster(dash)
    client.force_login(dash.users["ministry"])

    response = bench_page(client, dash)

    (group,) = response.context["groups"]
    assert not group.confidential
    assert [(p.name, p.figure.row.value) for p in group.shown] == [
        ("Córdoba dairy", 7),
        ("Mendoza wine", 5),
        ("Rafaela metal", 3),
    ]
    assert "Rafaela metal" in response.content.decode()


def test_a_summed_kpi_is_also_shown_per_firm_and_per_employee_when_known(dash, client):
    add_argentine_cluster(dash)
    client.force_login(dash.users["ministry"])

    peers = {p.name: p for p in bench_page(client, dash).context["groups"][0].peers}

    # Córdoba: 7 / 14 firms = 0.5, 7 / 700 employees = 0.01
    assert (peers["Córdoba dairy"].per_firm, peers["Córdoba dairy"].per_employee) == (
        Decimal("0.5"),
        Decimal("0.01"),
    )
    # Mendoza: 5 / 10 firms; no employment recorded -> no per-employee value (never / 0)
    assert (peers["Mendoza wine"].per_firm, peers["Mendoza wine"].per_employee) == (
        Decimal("0.5"),
        None,
    )
    # Rafaela: no firms recorded
    assert peers["Rafaela metal"].per_firm is None


def test_a_ratio_kpi_is_not_divided_by_firms(dash, client):
    add_argentine_cluster(dash)
    client.force_login(dash.users["ministry"])

    response = bench_page(client, dash, code="thai-returns")

    assert response.context["normalised"] is False
    assert all(p.per_firm is None for g in response.context["groups"] for p in g.peers)


def test_a_ministry_compares_the_clusters_in_its_scope_only(dash, client):
    client.force_login(dash.users["admin"])
    admin_groups = bench_page(client, dash, group="sector").context["groups"]
    client.force_login(dash.users["ministry"])
    ministry_groups = bench_page(client, dash, group="sector").context["groups"]

    assert sum(g.size for g in admin_groups) == 3
    assert sum(g.size for g in ministry_groups) == 2  # Argentina's clusters only


def test_bso_staff_compare_with_the_whole_platform_anonymised(dash, client):
    for cluster in (dash.third, dash.outside):
        cluster.sector_family = dash.inside.sector_family
        cluster.save(update_fields=["sector_family"])
    client.force_login(dash.users["bso_staff"])

    response = bench_page(client, dash, group="sector")

    # thai-lean: Mendoza 5, Córdoba 7, the Ecuadorian cluster 9, all of one sector family
    (group,) = response.context["groups"]
    assert (group.size, group.anonymised) == (3, True)
    assert group.spread.median == 7
    assert (group.spread.lower_quartile, group.spread.upper_quartile) == (6, 8)
    assert [(rank, p.name) for rank, p in group.listed] == [(3, "Mendoza wine")]
    html = response.content.decode()
    assert "data-anonymised" in html and "data-spread" in html
    assert "Córdoba dairy" not in html and dash.outside.name not in html
    rows = csv_rows(
        client.get(
            reverse("dashboard-benchmark"),
            {
                "kpi": kpi("thai-lean").pk,
                "period": dash.p["q1"].pk,
                "group": "sector",
                "format": "csv",
            },
        )
    )
    assert [r[6] for r in rows[1:]] == ["Mendoza wine"]  # the other clusters stay unnamed
    assert Decimal(rows[1][3]) == 7  # the median


def test_platform_peers_keep_the_rule_of_three(dash, client):
    client.force_login(dash.users["bso_staff"])

    response = bench_page(client, dash, group="country")

    # Argentina: Mendoza and Córdoba only
    (group,) = response.context["groups"]
    assert (group.size, group.confidential, group.spread, group.listed) == (2, True, None, [])
    assert "data-spread" not in response.content.decode()


def test_the_default_kpi_has_values(dash, client):
    client.force_login(dash.users["program_officer"])

    response = client.get(reverse("dashboard-benchmark"))

    first, period = response.context["kpis"][0], response.context["period"]
    # the first KPI by code has no approved value: the page opens on one that has
    assert not Rollup.objects.filter(kpi=first, period=period, clusters_reporting__gt=0).exists()
    assert response.context["kpi"] != first
    assert any(group.peers for group in response.context["groups"])


def test_the_page_reads_full_figures_for_the_peers_it_lists_and_the_download_for_all(
    dash, client, monkeypatch
):
    from monitoring.rollups import benchmark

    add_argentine_cluster(dash)
    monkeypatch.setattr(benchmark, "SHOWN_PER_GROUP", 1)
    client.force_login(dash.users["ministry"])

    (group,) = bench_page(client, dash).context["groups"]
    # three peers: the quartile positions are all three (positions 0, 1, 2); one figure, for
    # the one peer shown
    assert [(p.name, p.value) for p in group.peers] == [
        ("Córdoba dairy", 7),
        ("Mendoza wine", 5),
        ("Rafaela metal", 3),
    ]
    assert (group.spread.lower_quartile, group.spread.median) == (4, 5)
    assert [p.figure is not None for p in group.peers] == [True, False, False]

    params = {"kpi": kpi("thai-lean").pk, "period": dash.p["q1"].pk, "group": "country"}
    rows = csv_rows(client.get(reverse("dashboard-benchmark"), {**params, "format": "csv"}))
    assert [row[6] for row in rows[1:]] == ["Córdoba dairy", "Mendoza wine", "Rafaela metal"]
    assert all(row[9] for row in rows[1:])  # each with its value and coverage


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="INCLUDE indexes are PostgreSQL's; on SQLite migration 0024 changes nothing",
)
def test_on_postgresql_the_peers_are_ranked_from_the_index_alone(dash, client):
    """The cluster rows' unique index carries the value (monitoring migration 0024), so the
    ranking need not fetch rows from the table (on a large program they are scattered)."""
    client.force_login(dash.users["ministry"])
    with CaptureQueriesContext(connections["default"]) as captured:
        bench_page(client, dash)
    ranking = next(q["sql"] for q in captured.captured_queries if "ROW_NUMBER()" in q["sql"])
    with connections["default"].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's tables are tiny
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + ranking)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using cluster_rollup_one_per_cluster" in plan
