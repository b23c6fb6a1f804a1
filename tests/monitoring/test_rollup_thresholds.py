"""Rollup status uses the thresholds of the KPI's template (rule 7), like the scorecard page."""

from decimal import Decimal

from django.urls import reverse

from monitoring.reports.services import report_record_values, report_transition
from monitoring.rollups.staleness import process_stale
from scorecards.models import KPI, Level, Target, Template
from tests.reports import complete_rows


def fill_and_approve(world, lean_value: str) -> None:
    rows = complete_rows(world.report)
    rows[KPI.objects.get(code="thai-lean").pk] = {"value": lean_value}
    report_record_values(report=world.report, rows=rows, user=world.users["bso_staff"])
    report_transition(report=world.report, action="submit", user=world.users["bso_staff"])
    report_transition(report=world.report, action="approve", user=world.users["program_officer"])


def country_row(api_client, world):
    api_client.force_authenticate(world.users["ministry"])
    lean = KPI.objects.get(code="thai-lean")
    body = api_client.get(
        reverse("api:rollup-list"),
        {"kpi": lean.pk, "level": "country", "unit": world.argentina.pk, "period": world.q1.pk},
    ).json()
    (row,) = body["results"]
    return row


def test_rollup_status_follows_the_templates_thresholds(api_client, thai):
    lean = KPI.objects.get(code="thai-lean")
    Target.objects.create(
        kpi=lean, period=thai.q1, level=Level.COUNTRY, country=thai.argentina, value=5
    )
    fill_and_approve(thai, "3")
    process_stale()
    # 3 of a target of 5: 0.6, red with the default thresholds (1 and 0.75)
    row = country_row(api_client, thai)
    assert (row["achievement_percent"], row["status"]) == ("60.00", "red")
    # the Thai template says green from 50%: the same number is green
    Template.objects.filter(code="thai-food").update(
        green_threshold=Decimal("0.5"), amber_threshold=Decimal("0.4")
    )
    assert country_row(api_client, thai)["status"] == "green"
