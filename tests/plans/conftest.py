"""The plans' world: the dashboards' world (three clusters on the Thai Food scorecard with
approved 2025-Q1 reports rolled up; tests.dashboards.conftest) and a draft plan of `inside`
with one action that should move thai-lean, its committee's decision to approve it."""

import datetime
from decimal import Decimal

import pytest

from clusters.models import Decision
from plans.services import action_create, plan_create
from tests.dashboards.conftest import dash, kpi  # noqa: F401 (the fixture, reused)
from tests.monitoring.activity_data import media  # noqa: F401 (the fixture, reused)


def plan_data(**overrides):
    return {
        "title": "Mendoza wine 2025-2027",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2027, 12, 31),
        "diagnostic": "Small wineries export little.",
        "strengths": "Terroir\nSkilled workers",
        "weaknesses": "Little export know-how",
        "opportunities": "Asian demand",
        "threats": "Exchange rate",
        "benchmark_group": "country",
        **overrides,
    }


def action_data(**overrides):
    return {
        "title": "Lean training for 20 wineries",
        "owner": "INTI Mendoza",
        "starts_on": datetime.date(2025, 2, 1),
        "ends_on": datetime.date(2025, 11, 30),
        "budget_program": Decimal("10000"),
        "budget_firms": Decimal("2500"),
        "budget_public": Decimal("0"),
        "budget_credit": Decimal("0"),
        "currency": "USD",
        "status": "in_progress",
        "kpis": [kpi("thai-lean")],
        **overrides,
    }


@pytest.fixture
def planned(dash):  # noqa: F811 (the fixture imported above)
    """`dash` with a draft plan of `inside`, one action, and a decision to approve it."""
    bso = dash.users["bso_staff"]
    dash.plan = plan_create(cluster=dash.inside, data=plan_data(), user=bso)
    dash.action = action_create(plan=dash.plan, data=action_data(), user=bso)
    meeting = dash.committees["inside"].meeting
    dash.decision = Decision.objects.create(meeting=meeting, text="Approve the plan, v1")
    dash.other_decision = Decision.objects.create(
        meeting=dash.committees["outside"].meeting, text="Something of Atuntaqui"
    )
    return dash
