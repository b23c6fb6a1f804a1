"""The scorecard through the API: the page's numbers, scoped, approved-only for authorities."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.reports.services import report_record_values, report_transition
from scorecards.models import KPI, Level, Target
from tests.reports import complete_rows


@pytest.fixture
def scored(thai):
    lean = KPI.objects.get(code="thai-lean")
    Target.objects.create(
        kpi=lean, period=thai.q1, level=Level.CLUSTER, cluster=thai.inside, value=4
    )
    report_record_values(
        report=thai.report, rows={lean.pk: {"value": "3"}}, user=thai.users["bso_staff"]
    )
    return thai


def lean_row(body):
    return next(
        k
        for p in body["perspectives"]
        for c in p["csfs"]
        for k in c["kpis"]
        if k["code"] == "thai-lean"
    )


def get_scores(api_client, world, role, cluster):
    api_client.force_authenticate(world.users[role])
    return api_client.get(reverse("api:scores"), {"cluster": cluster.pk, "period": world.q1.pk})


def test_scores_give_value_target_achievement_and_status(api_client, scored):
    body = get_scores(api_client, scored, "bso_staff", scored.inside).json()
    row = lean_row(body)
    # 3 of a target of 4: 0.75 -> amber
    assert (Decimal(row["actual"]), Decimal(row["target"])) == (3, 4)
    assert row["achievement_percent"] == "75.00"  # a percentage, as every one in the API
    assert row["status"] == "amber"
    assert body["report_state"] == "draft"


def test_a_cluster_outside_the_scope_answers_404(api_client, scored):
    assert get_scores(api_client, scored, "bso_staff", scored.outside).status_code == 404


def test_authorities_see_no_values_until_the_report_is_approved(api_client, scored):
    body = get_scores(api_client, scored, "ministry", scored.inside).json()
    assert lean_row(body)["actual"] is None
    assert body["report"] is None


def test_missing_parameters_are_per_field_errors(api_client, scored):
    api_client.force_authenticate(scored.users["admin"])
    response = api_client.get(reverse("api:scores"))
    assert response.status_code == 400
    assert set(response.json()) == {"cluster", "period"}


def test_authorities_see_the_values_once_approved(api_client, scored):
    rows = complete_rows(scored.report, keep_entered=True)
    report_record_values(report=scored.report, rows=rows, user=scored.users["bso_staff"])
    report_transition(report=scored.report, action="submit", user=scored.users["bso_staff"])
    report_transition(report=scored.report, action="approve", user=scored.users["program_officer"])
    body = get_scores(api_client, scored, "regional", scored.inside).json()
    assert Decimal(lean_row(body)["actual"]) == 3
