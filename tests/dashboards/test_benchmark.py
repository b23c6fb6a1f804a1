"""Benchmarking: peer groups, the confidentiality rule and values per firm and employee."""

from decimal import Decimal

from django.urls import reverse

from monitoring.rollups.staleness import process_stale
from scorecards.services import scorecard_adopt
from tests.dashboards.conftest import START, kpi
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import report_with


def bench_page(client, dash, code="thai-lean", group="country"):
    params = {"kpi": kpi(code).pk, "period": dash.p["q1"].pk, "group": group}
    return client.get(reverse("dashboard-benchmark"), params)


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


def test_peers_are_the_clusters_in_scope_only(dash, client):
    client.force_login(dash.users["admin"])
    admin_groups = bench_page(client, dash, group="sector").context["groups"]
    client.force_login(dash.users["bso_staff"])
    bso_groups = bench_page(client, dash, group="sector").context["groups"]

    assert sum(g.size for g in admin_groups) == 3
    assert sum(g.size for g in bso_groups) == 1  # the BSO supports Mendoza only
