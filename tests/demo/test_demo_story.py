"""The demo tells a story the demo logins can follow through the pages: the demo BSO finishes
and submits a report, the demo officer approves it, and the ministry sees Argentina's numbers
move; the seeded reports were written and reviewed by the roles that may."""

import re

from django.urls import reverse

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope
from clusters.models import Cluster, Country
from monitoring.models import Activity, Report, ReportTransition
from monitoring.rollups.engine import recompute
from scorecards.models import KPI, ClusterScorecard, Template
from tests.demo.conftest import seed

DEMO_PASSWORD = "clusterboard-demo"


def signed_in(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def full_post(report):
    """Every KPI of the report filled, as the report page's form sends them."""
    data = {"submit": "1"}
    for m in report.measurements.select_related("kpi"):
        prefix = f"kpi-{m.kpi_id}-"
        data[prefix + "revision"] = str(m.revision)
        if m.kpi.is_ratio:
            data.update({prefix + "numerator": "3", prefix + "denominator": "10"})
        elif m.kpi.by_sex:
            data.update({prefix + "value_women": "3", prefix + "value_men": "2"})
        else:
            data[prefix + "value"] = "1"
    return data


def coverage_of(html: str, kpi_code: str) -> str:
    row = re.search(rf'<tr data-kpi="{kpi_code}".*?</tr>', html, re.S).group(0)
    return re.search(r'data-coverage="([0-9]+/[0-9]+)"', row).group(1)


def test_the_demo_bso_submits_the_officer_approves_and_the_ministry_sees_it_move(
    seeded, client, django_capture_on_commit_callbacks
):
    recompute()  # what the seed's commit queues (tests never commit)
    draft = Report.objects.get(
        cluster__code="mendoza-wine", state=Report.State.DRAFT, period__kind="quarter"
    )
    argentina = Country.objects.get(code="AR")
    dashboard = reverse("dashboard-country", args=[argentina.pk])
    period = {"period": draft.period_id}

    signed_in(client, "ministry")
    before = coverage_of(client.get(dashboard, period).content.decode(), "thai-lean")
    assert before == "0/3"  # every Argentine cluster is expected: they share one scorecard

    signed_in(client, "bso")
    response = client.post(reverse("report-detail", args=[draft.pk]), full_post(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Report.State.SUBMITTED

    signed_in(client, "officer")
    assert str(draft.pk) in client.get(reverse("review-queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-action", args=[draft.pk, "approve"]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Report.State.APPROVED

    signed_in(client, "ministry")
    after = coverage_of(client.get(dashboard, period).content.decode(), "thai-lean")
    assert after == "1/3"


def test_seeded_reports_are_submitted_by_bso_staff_and_reviewed_by_officers_where_one_may(seeded):
    transitions = ReportTransition.objects.select_related("by", "report__cluster")
    assert {t.by.role for t in transitions.filter(action="submit")} == {Role.BSO_STAFF}
    for t in transitions.exclude(action="submit"):
        officers = User.objects.filter(role=Role.PROGRAM_OFFICER)
        reviewable = [o for o in officers if clusters_in_scope(o).filter(pk=t.report.cluster_id)]
        # the administrator reviews only the clusters no program officer may review
        assert t.by.role == (Role.PROGRAM_OFFICER if reviewable else Role.ADMIN), t
    for t in transitions.filter(action="submit"):
        assert t.report.cluster in clusters_in_scope(t.by)
    demo_bso = User.objects.get(username="bso")
    assert transitions.filter(action="submit", by=demo_bso).exists()
    assert transitions.filter(action="approve", by__username="officer").exists()


def test_the_demo_bso_and_the_demo_officer_share_clusters(seeded):
    shared = clusters_in_scope(User.objects.get(username="bso")) & clusters_in_scope(
        User.objects.get(username="officer")
    )
    assert shared.filter(code="mendoza-wine").exists()


def test_the_proposed_own_kpi_is_for_the_demo_officer_to_accept_not_the_bso(seeded, client):
    proposed = KPI.objects.get(status=KPI.Status.PROPOSED)
    reject = reverse("api:kpi-reject", args=[proposed.pk])
    signed_in(client, "bso")
    refused = client.post(reject)
    assert refused.status_code == 403
    assert "accept or reject" in refused.json()["detail"]
    signed_in(client, "officer")
    accepted = client.post(reverse("api:kpi-accept", args=[proposed.pk]))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"


def test_every_country_s_clusters_adopt_one_scorecard(seeded):
    for country in Country.objects.all():
        templates = set(
            ClusterScorecard.objects.current()
            .filter(cluster__country=country)
            .values_list("template__code", flat=True)
        )
        assert len(templates) <= 1, (country.code, templates)
    argentina = ClusterScorecard.objects.current().filter(cluster__country__code="AR")
    assert argentina.count() == 3
    assert {s.template.code for s in argentina} == {"thai-food"}


def test_the_national_dashboard_is_titled_by_the_scorecard_argentina_adopted(seeded, client):
    recompute()
    signed_in(client, "ministry")
    argentina = Country.objects.get(code="AR")
    html = client.get(reverse("dashboard-country", args=[argentina.pk])).content.decode()
    thai = Template.objects.get(code="thai-food", version=1)
    assert thai.name in html
    assert Template.objects.get(code="scottish-enterprise", version=1).name not in html
    assert 'data-coverage="3/3"' in html


def test_one_cluster_has_a_whole_plan_of_activities_a_year(seeded):
    cluster = Cluster.objects.get(code="mendoza-wine")
    years = Activity.objects.filter(cluster=cluster).dates("date", "year")
    assert years
    assert Activity.objects.filter(cluster=cluster, date__year=years[0].year).count() >= 5
    assert Activity.objects.values("type").filter(cluster=cluster).distinct().count() >= 5


def test_the_summary_counts_each_row_once(seeded):
    assert " 3 programs," in seeded
    assert "updated 0," in seeded  # a first run creates; it never corrects what it just made
    assert " 3 programs," in seed()  # unchanged rows are counted, once each, too
