"""Mendoza wine's competitiveness plan: version 1, approved by its steering committee on
2026-03-12, with three actions linked to the KPIs they should move and to the activities of
the log done for them (every year's activity of the same title)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from clusters.models import Cluster, Decision, Meeting
from demo.seed.rows import SeedReport, upsert
from monitoring.models.activities import Activity
from plans.models import ActionActivity, Plan, PlanAction
from scorecards.models import KPI

CLUSTER = "mendoza-wine"
MEETING_ON = datetime.date(2026, 3, 12)
DECISION = "Approve the cluster's competitiveness plan 2026-2028 (version 1)."
PLAN = {
    "title": "Mendoza wine competitiveness plan 2026-2028",
    "period_start": datetime.date(2026, 1, 1),
    "period_end": datetime.date(2028, 12, 31),
    "diagnostic": (
        "Some 140 small and medium wineries export little of what they make: few have a "
        "quality certificate, buyers abroad do not know the region's smaller labels, and "
        "inputs (bottles, corks) are bought one winery at a time, at retail prices. Water "
        "is scarce and irrigation mostly by flooding."
    ),
    "strengths": "Recognised terroir and varieties (Malbec)\nSkilled workforce\nActive BSOs",
    "weaknesses": "Few quality certificates\nLittle export know-how in small wineries",
    "opportunities": "Demand for Malbec in Asia\nProvincial co-financing for clusters",
    "threats": "Exchange-rate swings\nHail and water scarcity",
    "benchmark_group": "country",
}
# (title, owner, start, end, program budget, firms' budget, status, KPI codes, activity title)
ACTIONS = [
    (
        "Quality and food-safety training for small wineries",
        "INTI Mendoza",
        datetime.date(2026, 3, 1),
        datetime.date(2026, 12, 15),
        Decimal("6000"),
        Decimal("1500"),
        PlanAction.Status.IN_PROGRESS,
        ["thai-skills-participants", "thai-gmp-haccp"],
        "Training: quality and food safety",
    ),
    (
        "Joint stand at the national trade fair",
        "Bodegas de Argentina",
        datetime.date(2026, 4, 1),
        datetime.date(2026, 7, 31),
        Decimal("12000"),
        Decimal("6000"),
        PlanAction.Status.DONE,
        ["thai-market-channels"],
        "Joint stand at the national trade fair",
    ),
    (
        "Joint purchase of bottles and corks",
        "Fundación Pro Viñateros",
        datetime.date(2026, 8, 1),
        datetime.date(2027, 3, 31),
        Decimal("1000"),
        Decimal("2000"),
        PlanAction.Status.PLANNED,
        ["thai-lean"],
        "Joint purchase of inputs",
    ),
]


def seed_plans(report: SeedReport) -> None:
    cluster = Cluster.objects.filter(code=CLUSTER).first()
    meeting = Meeting.objects.filter(committee__cluster=cluster, held_on=MEETING_ON).first()
    if cluster is None or meeting is None:
        return
    decision = upsert(report, Decision, keys={"meeting": meeting, "text": DECISION})
    approved_at = timezone.make_aware(datetime.datetime.combine(MEETING_ON, datetime.time(18)))
    plan = upsert(
        report,
        Plan,
        keys={"cluster": cluster, "version": 1},
        values={
            **PLAN,
            "state": Plan.State.APPROVED,
            "decision": decision,
            "approved_at": approved_at,
        },
    )
    kpis = KPI.objects.in_bulk(
        [code for *_rest, codes, _t in ACTIONS for code in codes], field_name="code"
    )
    for title, owner, start, end, program, firms, status, codes, activity_title in ACTIONS:
        action = upsert(
            report,
            PlanAction,
            keys={"plan": plan, "title": title},
            values={
                "owner": owner,
                "starts_on": start,
                "ends_on": end,
                "budget_program": program,
                "budget_firms": firms,
                "currency": "ARS",
                "status": status,
            },
            m2m={"kpis": [kpis[code] for code in codes if code in kpis]},
        )
        done = Activity.objects.filter(
            cluster=cluster, title=activity_title, date__gte=PLAN["period_start"]
        )
        for activity in done:
            upsert(report, ActionActivity, keys={"action": action, "activity": activity})
