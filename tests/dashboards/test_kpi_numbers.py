"""The national dashboard's ranking and the cluster scorecard show and download a KPI's
numbers rounded to its decimal places (scorecards.numbers), the page and the file alike."""

import re
from decimal import Decimal

from django.urls import reverse

from tests.dashboards.conftest import kpi
from tests.downloads import csv_rows, xlsx_rows


def test_the_ranking_shows_and_downloads_a_value_to_the_kpis_places(dash, client):
    # Mendoza wine's returns: 4 / 6 x 100 = 66.666…
    returns = kpi("thai-returns")
    client.force_login(dash.users["ministry"])
    url = reverse("dashboard-country", args=[dash.argentina.pk])
    params = {"period": dash.p["q1"].pk, "rank": returns.pk, "table": "ranking"}

    for places, shown in ((None, "66.7"), (0, "67"), (3, "66.667")):
        returns.decimal_places = places
        returns.save(update_fields=["decimal_places"])

        html = client.get(url, params).content.decode()
        row = html[html.index(f'data-cluster="{dash.inside.pk}"') :]
        assert f">{shown}%</a>" in row[: row.index("</tr>")].replace("\n", "")
        csv_line = next(
            r
            for r in csv_rows(client.get(url, {**params, "format": "csv"}))
            if r[1] == "Mendoza wine"
        )
        assert shown in csv_line
        xlsx_line = next(
            r
            for r in xlsx_rows(client.get(url, {**params, "format": "xlsx"}))
            if r[1] == "Mendoza wine"
        )
        assert Decimal(shown) in [Decimal(str(c)) for c in xlsx_line if isinstance(c, int | float)]


def test_the_scorecard_download_rounds_to_the_kpis_places(dash, client):
    returns = kpi("thai-returns")
    returns.decimal_places = 2
    returns.save(update_fields=["decimal_places"])
    client.force_login(dash.users["bso_staff"])
    url = reverse("cluster-scorecard", args=[dash.inside.pk])

    rows = csv_rows(client.get(url, {"period": dash.p["q1"].pk, "format": "csv"}))

    line = next(r for r in rows if "thai-returns" in r)
    assert "66.67" in line


def test_the_benchmark_quartiles_read_like_the_kpis_values(dash, client):
    # returns (a percentage): Mendoza 4/6 = 66.6667, Córdoba 2/4 = 50, the Ecuadorian 1/5 = 20
    for cluster in (dash.third, dash.outside):
        cluster.sector_family = dash.inside.sector_family
        cluster.save(update_fields=["sector_family"])
    client.force_login(dash.users["bso_staff"])
    params = {"kpi": kpi("thai-returns").pk, "period": dash.p["q1"].pk, "group": "sector"}

    html = client.get(reverse("dashboard-benchmark"), params).content.decode()
    rows = csv_rows(client.get(reverse("dashboard-benchmark"), {**params, "format": "csv"}))

    # inclusive quartiles: 20 + (50 - 20) / 2 = 35 and 50 + (66.6667 - 50) / 2 = 58.33335
    cells = re.findall(r'data-cell="(lower-quartile|median|upper-quartile)">([^<]*)<', html)
    assert [(name, text.strip()) for name, text in cells] == [
        ("lower-quartile", "35%"),
        ("median", "50%"),
        ("upper-quartile", "58.3%"),
    ]
    assert rows[1][2:5] == ["35", "50", "58.3"]
