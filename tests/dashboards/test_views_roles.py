"""The role home pages: administrators' freshness, BSO staff's reports to do, officers'
review queue and clusters off track."""

from decimal import Decimal

import pytest
from django.urls import resolve, reverse

from core.models import RollupStale
from monitoring.reports.scores import cluster_scorecard
from monitoring.rollups.runs import run_start
from scorecards.models import Level
from scorecards.services import target_set
from tests.dashboards.conftest import kpi
from tests.monitoring.rollup_reference import move, report_with


def test_the_admin_dashboard_shows_freshness_and_links_every_country(dash, client):
    RollupStale.objects.create(kpi_id=kpi("thai-lean").pk, period_id=dash.p["q1"].pk)
    run = run_start(user=dash.users["admin"])  # its tasks are queued on commit: still running
    client.force_login(dash.users["admin"])

    response = client.get(reverse("dashboard-admin"))

    freshness = response.context["freshness"]
    assert freshness.stale_markers == RollupStale.objects.count() >= 1
    assert freshness.oldest_computed_at is not None
    assert [p.run.pk for p in freshness.runs] == [run.pk]
    assert (freshness.runs[0].done, freshness.runs[0].total) == (0, run.total)
    html = response.content.decode()
    assert f'data-run="{run.pk}"' in html and "<progress" in html
    for country in (dash.argentina, dash.ecuador):
        assert reverse("dashboard-country", args=[country.pk]) in html
    assert reverse("dashboard-region", args=[dash.latam.pk]) in html


def test_bso_staff_see_their_clusters_and_the_reports_returned_to_them(dash, client):
    report = report_with(dash.inside, dash.p["q2"], {}, state="returned")
    client.force_login(dash.users["bso_staff"])

    response = client.get(reverse("dashboard-bso"))

    assert [c.name for c in response.context["clusters"]] == ["Mendoza wine"]
    items = {(i.cluster, i.period): i for i in response.context["items"]}
    assert items[("Mendoza wine", "2025-Q2")].report_id == report.pk
    assert reverse("report-detail", args=[report.pk]) in response.content.decode()
    assert all(i.cluster == "Mendoza wine" for i in items.values())  # scope


def test_officers_see_their_review_queue_and_clusters_with_red_kpis(dash, client):
    admin, q1 = dash.users["admin"], dash.p["q1"]
    # Mendoza: 5 lean projects against a target of 10 -> 5 / 10 = 50% < 75%: red
    target_set(
        kpi=kpi("thai-lean"),
        period=q1,
        level=Level.CLUSTER,
        unit=dash.inside,
        value=Decimal(10),
        user=admin,
    )
    # Córdoba: 7 against 7 -> 100%: green
    target_set(
        kpi=kpi("thai-lean"),
        period=q1,
        level=Level.CLUSTER,
        unit=dash.third,
        value=Decimal(7),
        user=admin,
    )
    report_with(dash.third, dash.p["q2"], {}, state="submitted")
    client.force_login(dash.users["program_officer"])

    response = client.get(reverse("dashboard-officer"))

    assert response.context["review_count"] == 1
    (off,) = response.context["off_track"]
    assert (off.cluster, [k.code for k in off.red_kpis]) == ("Mendoza wine", ["thai-lean"])
    # the same colours as the cluster's scorecard page
    card = cluster_scorecard(cluster=dash.inside, period=q1)
    red = [
        k.kpi.code for p in card.perspectives for c in p.csfs for k in c.kpis if k.status == "red"
    ]
    assert red == ["thai-lean"]


def test_a_reopened_report_is_not_judged_until_approved_again(dash, client):
    target_set(
        kpi=kpi("thai-lean"),
        period=dash.p["q1"],
        level=Level.CLUSTER,
        unit=dash.inside,
        value=Decimal(10),
        user=dash.users["admin"],
    )
    report = dash.inside.reports.get(period=dash.p["q1"])
    move(report, "reopen")
    client.force_login(dash.users["program_officer"])

    assert client.get(reverse("dashboard-officer")).context["off_track"] == []


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("admin", "dashboard-admin"),
        ("bso_staff", "dashboard-bso"),
        ("program_officer", "dashboard-officer"),
    ],
)
def test_the_panels_link_the_program_portfolio_and_the_activity_log(dash, client, role, page):
    client.force_login(dash.users[role])

    response = client.get(reverse(page))

    context, html = response.context, response.content.decode()
    portfolio, activities = context["portfolio_url"], context["activities_url"]
    assert resolve(portfolio).url_name == "program-portfolio"
    assert resolve(activities).url_name == "activity-list"
    assert f'href="{portfolio}"' in html and f'href="{activities}"' in html
    # the reader of the dashboard may open both
    assert client.get(portfolio).status_code == client.get(activities).status_code == 200


def test_the_bso_page_shows_the_most_urgent_reports_to_do_and_downloads_them_all(
    dash, client, monkeypatch
):
    from dashboards.views import home

    monkeypatch.setattr(home, "TO_DO_SHOWN", 1)
    report_with(dash.inside, dash.p["q2"], {}, state="returned")
    report_with(dash.inside, dash.p["q3"], {}, state="returned")
    client.force_login(dash.users["bso_staff"])

    response = client.get(reverse("dashboard-bso"))
    download = client.get(reverse("dashboard-bso"), {"format": "csv"})

    items = response.context["items"]
    assert len(items) >= 2
    html = response.content.decode()
    assert html.count("<tr data-cluster=") == 1
    assert f'data-period="{items[0].period_id}"' in html  # the earliest deadline
    assert f"and {len(items) - 1} more report" in html
    assert len(download.content.decode().strip().splitlines()) == 1 + len(items)
