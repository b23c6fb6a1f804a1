"""The regional dashboard: countries side by side on chosen KPIs, the region's own total,
charts with the numbers as text, and the scope."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.dashboards.conftest import kpi


def region_page(client, region, **params):
    return client.get(reverse("dashboard-region", args=[region.pk]), params)


def test_countries_stand_side_by_side_with_the_region_total(dash, client):
    client.force_login(dash.users["admin"])
    lean, returns = kpi("thai-lean"), kpi("thai-returns")

    response = region_page(client, dash.latam, period=dash.p["q1"].pk, kpi=[lean.pk, returns.pk])

    table = response.context["table"]
    assert [k.code for k in table.kpis] == ["thai-lean", "thai-returns"]
    values = {c.code: [f.row.value for f in figures] for c, figures in table.countries}
    # Argentina 5 + 7 = 12 and (4 + 2) / (6 + 4) = 60%; Ecuador 9 and 1 / 5 = 20%
    assert values == {"AR": [12, 60], "EC": [9, 20]}
    # Latin America: 5 + 7 + 9 = 21 and (4 + 2 + 1) / (6 + 4 + 5) x 100 = 46.67%
    region_lean, region_returns = table.region_figures
    assert region_lean.row.value == 21
    assert round(region_returns.row.value, 2) == Decimal("46.67")
    assert (region_lean.row.clusters_reporting, region_lean.row.clusters_expected) == (3, 3)
    html = response.content.decode()
    assert html.count('<svg class="chart"') == 2  # the map and its legend are not charts
    # each chart is titled on the page by its KPI, and each country's bar by its code
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions == [f"{lean.name} by country", f"{returns.name} by country"]
    assert html.count(">AR</text>") == 2 and html.count(">EC</text>") == 2
    assert 'data-coverage="3/3"' in html


def test_without_a_choice_the_first_kpis_are_shown(dash, client):
    client.force_login(dash.users["regional"])

    response = region_page(client, dash.southern_cone, period=dash.p["q1"].pk)

    assert len(response.context["table"].kpis) == 4


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        ("regional", "southern_cone", 200),
        ("regional", "latam", 404),
        ("ministry", "southern_cone", 404),
        ("program_officer", "southern_cone", 404),
        ("bso_staff", "southern_cone", 404),
        ("admin", "latam", 200),
    ],
)
def test_a_region_outside_the_scope_is_not_found(dash, client, role, region, status):
    client.force_login(dash.users[role])

    assert region_page(client, getattr(dash, region)).status_code == status
