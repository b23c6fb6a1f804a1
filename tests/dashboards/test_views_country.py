"""The national dashboard: hand-worked values with their coverage, links to explanations,
trends, the ranking of clusters, and the scope (404 outside it)."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from dashboards import selectors
from dashboards.selectors import default_period
from monitoring.rollups.staleness import process_stale
from scorecards.models import Level, Period
from scorecards.services import target_set
from tests.dashboards.conftest import kpi


def country_page(client, world, *, country=None, **params):
    url = reverse("dashboard-country", args=[(country or world.argentina).pk])
    return client.get(url, params)


def row_html(html: str, code: str) -> str:
    match = re.search(rf'<tr data-kpi="{code}".*?</tr>\s*(?=<tr data-kpi|</tbody>)', html, re.S)
    assert match, code
    return match.group(0)


def test_a_ratio_kpi_shows_the_ratio_of_sums_with_its_coverage(dash, client):
    client.force_login(dash.users["ministry"])

    response = country_page(client, dash, period=dash.p["q1"].pk)

    # Argentina: inside 4/6 and third 2/4 -> (4 + 2) / (6 + 4) x 100 = 60%, not the mean
    # of 66.7% and 50% (58.3%); both clusters reporting.
    row = row_html(response.content.decode(), "thai-returns")
    assert "60%" in row
    assert 'data-coverage="2/2"' in row
    assert "as of" in row


def test_a_summed_kpi_adds_the_clusters_of_the_country_only(dash, client):
    client.force_login(dash.users["ministry"])

    response = country_page(client, dash, period=dash.p["q1"].pk)

    row = row_html(response.content.decode(), "thai-lean")
    # 5 (inside) + 7 (third) = 12; Ecuador's 9 is not Argentina's
    assert re.search(r'data-cell="value"[^>]*>\s*12\s*<', row)


def test_every_number_links_to_its_explanation(dash, client):
    client.force_login(dash.users["ministry"])
    q1 = dash.p["q1"]

    html = country_page(client, dash, period=q1.pk).content.decode()

    explain_url = reverse(
        "rollup-detail", args=[kpi("thai-returns").pk, q1.pk, "country", dash.argentina.pk]
    )
    assert f'href="{explain_url}"' in html
    assert client.get(explain_url).status_code == 200


def test_kpis_are_grouped_by_the_perspectives_of_their_template(dash, client):
    client.force_login(dash.users["ministry"])

    response = country_page(client, dash, period=dash.p["q1"].pk)

    names = [group.name for group in response.context["groups"]]
    assert names[0] == "Financial perspective"
    assert len(names) == len(set(names)) == 4


def test_a_trend_shows_a_chart_and_the_same_numbers_as_text(dash, client):
    client.force_login(dash.users["ministry"])

    html = country_page(client, dash, period=dash.p["q1"].pk).content.decode()

    row = row_html(html, "thai-lean")
    assert "<svg" in row
    assert "<details>" in row and "2025-Q1" in row


def test_the_default_period_is_the_latest_year_with_values(dash, client):
    client.force_login(dash.users["ministry"])

    response = country_page(client, dash)

    assert response.context["period"] == dash.p["year"]


def test_clusters_rank_on_the_chosen_kpi_best_first_by_its_direction(dash, client):
    client.force_login(dash.users["ministry"])
    q1 = dash.p["q1"]

    by_lean = country_page(client, dash, period=q1.pk, rank=kpi("thai-lean").pk).context
    by_returns = country_page(client, dash, period=q1.pk, rank=kpi("thai-returns").pk).context

    # thai-lean: higher is better, 7 (third) before 5 (inside)
    assert [(r.rank, r.name) for r in by_lean["ranking"]] == [
        (1, "Córdoba dairy"),
        (2, "Mendoza wine"),
    ]
    # thai-returns: lower is better, 2/4 = 50% (third) before 4/6 = 66.7% (inside)
    assert [r.name for r in by_returns["ranking"]] == ["Córdoba dairy", "Mendoza wine"]


def test_the_ranking_reads_full_figures_only_for_the_clusters_the_page_shows(
    dash, client, monkeypatch
):
    from dashboards.views import rollups

    monkeypatch.setattr(rollups, "RANKING_SHOWN", 1)
    client.force_login(dash.users["ministry"])
    q1 = dash.p["q1"]

    context = country_page(client, dash, period=q1.pk, rank=kpi("thai-lean").pk).context

    (shown,) = context["ranking"]
    assert (shown.rank, shown.name, shown.figure.value) == (1, "Córdoba dairy", 7)
    assert context["ranking_more"] == 1
    # the download ranks and presents them all
    ranking = selectors.country_ranking(
        dash.users["ministry"], country=dash.argentina, period=q1, kpi=kpi("thai-lean")
    )
    assert [(r.rank, r.figure.value) for r in ranking] == [(1, 7), (2, 5)]


@pytest.mark.parametrize(
    ("role", "country", "status"),
    [
        ("ministry", "argentina", 200),
        ("ministry", "ecuador", 404),
        ("regional", "argentina", 200),
        ("regional", "ecuador", 404),
        ("program_officer", "argentina", 200),
        ("program_officer", "ecuador", 404),
        ("bso_staff", "argentina", 404),
        ("admin", "ecuador", 200),
    ],
)
def test_a_country_outside_the_scope_is_not_found(dash, client, role, country, status):
    client.force_login(dash.users[role])

    response = country_page(client, dash, country=getattr(dash, country))

    assert response.status_code == status


def test_an_officer_ranks_only_the_clusters_of_their_programs(dash, client):
    dash.program.enrolments.filter(cluster=dash.third).delete()
    client.force_login(dash.users["program_officer"])

    response = country_page(client, dash, period=dash.p["q1"].pk)

    assert [r.name for r in response.context["ranking"]] == ["Mendoza wine"]


def test_a_value_without_a_target_says_no_target_not_no_data(dash, client):
    client.force_login(dash.users["ministry"])
    q1 = dash.p["q1"]

    response = country_page(client, dash, period=q1.pk)
    download = country_page(client, dash, period=q1.pk, format="csv", table="kpis")

    row = row_html(response.content.decode(), "thai-lean")
    assert 'data-achievement="none"' in row and "No target" in row and "No data" not in row
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    status = rows[0].index("Status")
    lean = next(r for r in rows if r[1] == "thai-lean")
    assert lean[status] == "No target"
    assert not {r[status] for r in rows[1:]} & {"grey", "red", "amber", "green"}


def test_the_national_achievement_opens_on_its_formula(dash, client):
    # Argentina's lean target 15: (5 + 7) / 15 = 80%, no baseline at country level
    target_set(
        kpi=kpi("thai-lean"),
        period=dash.p["q1"],
        level=Level.COUNTRY,
        unit=dash.argentina,
        value=15,
        user=dash.users["admin"],
    )
    process_stale()
    client.force_login(dash.users["ministry"])

    html = country_page(client, dash, period=dash.p["q1"].pk).content.decode()

    row = re.sub(r"\s+", " ", row_html(html, "thai-lean"))
    assert 'data-cell="achievement-value">80%' in row
    assert "actual / target = 12 / 15 = 80%" in row
    assert "none here" in row


def _period(year, quarter, *, values=True):
    starts, ends = Period.bounds(year, quarter)
    kind = Period.Kind.QUARTER if quarter else Period.Kind.YEAR
    found = Period(year=year, quarter=quarter, kind=kind, starts_on=starts, ends_on=ends)
    found.has_values = values
    return found


def test_the_default_period_is_complete_and_a_partial_one_is_marked():
    this_year = datetime.date.today().year
    current_year, last_year = _period(this_year, 0), _period(this_year - 1, 0)
    latest_quarter = _period(this_year - 1, 4)
    periods = [current_year, last_year, latest_quarter]

    assert default_period(periods) == last_year  # the year not over yet is left out
    assert current_year.shown_label == f"{this_year} (partial)"
    assert last_year.shown_label == str(this_year - 1)
    assert default_period([current_year]) == current_year  # nothing complete: the latest
