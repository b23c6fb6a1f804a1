"""Every dashboard answers with a bounded number of queries, whatever the number of clusters:
the same count with the three clusters of the small world and with a few hundred more
(bulk-created, approved, rolled up by the real engine)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bsos.models import ClusterSupport
from clusters.models import Cluster, LifecycleStage, SectorFamily
from dashboards.views.home import OFF_TRACK_SHOWN
from monitoring.models import Measurement, Report
from monitoring.rollups.engine import recompute_kpi
from programs.models import Enrolment
from scorecards.models import ClusterScorecard, Level, Target
from tests.dashboards.conftest import START, kpi
from tests.downloads import csv_rows

MANY = 300
# The most queries each page may make (session and user included), clusters or not; the
# national and regional dashboards' map reads its clusters and their values (a few more).
BOUND = 24


def add_clusters(dash, count: int) -> None:
    """`count` more active Argentine clusters on the Thai Food scorecard, supported by the
    BSO, enrolled in the program, each with an approved Q1 report holding thai-lean and
    thai-returns, a target that turns every third one red; then the engine recomputes."""
    families, stages = list(SectorFamily.values), list(LifecycleStage.values)
    Cluster.objects.bulk_create(
        Cluster(
            code=f"bulk-{i}",
            name=f"Bulk cluster {i:04d}",
            country=dash.argentina,
            sector="food",
            sector_family=families[i % len(families)],
            cluster_type="italianate",
            lifecycle_stage=stages[i % len(stages)],
            initiative_origin="bottom_up_public",
            number_of_firms=10 + i % 40,
            employment=100 + i,
        )
        for i in range(count)
    )
    clusters = list(Cluster.objects.filter(code__startswith="bulk-"))
    ClusterScorecard.objects.bulk_create(
        ClusterScorecard(cluster=c, template=dash.template, adopted_on=START) for c in clusters
    )
    ClusterSupport.objects.bulk_create(
        ClusterSupport(bso=dash.bso, cluster=c, role=ClusterSupport.Role.PARTNER, since=START)
        for c in clusters
    )
    Enrolment.objects.bulk_create(
        Enrolment(program=dash.program, cluster=c, enrolled_from=datetime.date(2020, 1, 1))
        for c in clusters
    )
    cards = dict(ClusterScorecard.objects.filter(cluster__in=clusters).values_list("cluster", "pk"))
    q1 = dash.p["q1"]
    Report.objects.bulk_create(
        Report(cluster=c, period=q1, scorecard_id=cards[c.pk], state=Report.State.APPROVED)
        for c in clusters
    )
    lean, returns = kpi("thai-lean"), kpi("thai-returns")
    measurements = []
    for i, report in enumerate(Report.objects.filter(cluster__in=clusters)):
        measurements.append(Measurement(report=report, kpi=lean, value=Decimal(i % 13)))
        measurements.append(
            Measurement(report=report, kpi=returns, numerator=Decimal(i % 5), denominator=10)
        )
    Measurement.objects.bulk_create(measurements)
    Target.objects.bulk_create(
        Target(kpi=lean, period=q1, level=Level.CLUSTER, cluster=c, value=Decimal(50))
        for c in clusters[::3]
    )
    for k in (lean, returns):
        recompute_kpi(kpi_id=k.pk)


def pages(dash) -> list[tuple[str, str, dict]]:
    q1 = dash.p["q1"].pk
    lean = kpi("thai-lean").pk
    return [
        ("ministry", reverse("dashboard-country", args=[dash.argentina.pk]), {"rank": lean}),
        ("ministry", reverse("dashboard-country", args=[dash.argentina.pk]), {"period": q1}),
        ("regional", reverse("dashboard-region", args=[dash.southern_cone.pk]), {"period": q1}),
        ("admin", reverse("dashboard-benchmark"), {"kpi": lean, "period": q1}),
        ("admin", reverse("dashboard-benchmark"), {"kpi": lean, "period": q1, "group": "stage"}),
        ("admin", reverse("dashboard-admin"), {}),
        ("bso_staff", reverse("dashboard-bso"), {}),
        ("program_officer", reverse("dashboard-officer"), {}),
        ("ministry", reverse("dashboard-country", args=[dash.argentina.pk]), {"format": "xlsx"}),
    ]


def count_queries(client, dash) -> list[int]:
    counts = []
    for role, url, params in pages(dash):
        client.force_login(dash.users[role])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        counts.append(len(captured))
    return counts


@pytest.mark.parametrize("index", range(9))
def test_a_dashboard_with_hundreds_of_clusters_makes_a_bounded_number_of_queries(
    dash, client, django_assert_max_num_queries, index
):
    add_clusters(dash, MANY)
    role, url, params = pages(dash)[index]
    client.force_login(dash.users[role])

    with django_assert_max_num_queries(BOUND):
        response = client.get(url, params)

    assert response.status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_clusters(dash, client):
    few = count_queries(client, dash)
    add_clusters(dash, MANY)

    many = count_queries(client, dash)

    assert many == few, (few, many)
    # and the clusters are really on the pages
    client.force_login(dash.users["ministry"])
    _role, url, params = pages(dash)[0]
    context = client.get(url, {**params, "period": dash.p["q1"].pk}).context
    assert len(context["ranking"]) + context["ranking_more"] == MANY + 2
    client.force_login(dash.users["program_officer"])
    off_track = client.get(reverse("dashboard-officer")).context["off_track"]
    assert len(off_track) >= MANY // 3 - 1


def test_the_officer_sees_the_first_clusters_off_track_and_downloads_them_all(dash, client):
    add_clusters(dash, MANY)  # every third of them red, 100 clusters
    client.force_login(dash.users["program_officer"])

    page = client.get(reverse("dashboard-officer"))
    download = csv_rows(client.get(reverse("dashboard-officer"), {"format": "csv"}))

    off_track = page.context["off_track"]
    assert len(off_track) >= MANY // 3
    html = page.content.decode()
    assert html.count("<tr data-cluster=") == OFF_TRACK_SHOWN
    assert f'<dd data-stat="off-track">{len(off_track)}</dd>' in html
    assert f"and {len(off_track) - OFF_TRACK_SHOWN} more clusters" in html
    shown = [o.cluster for o in off_track[:OFF_TRACK_SHOWN]]
    assert shown == sorted(shown)  # by name
    assert [row[0] for row in download[1:]] == [o.cluster for o in off_track]
