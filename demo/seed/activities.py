"""Demo activity log: one activity a year in every active cluster, and a whole year's plan in
one, idempotently.

Each cluster gets one activity (the kinds in turn) each year over the last three years, and
Mendoza wine (in the demo BSO's scope) every activity of the plan every year (only those dated
up to today), each run by the BSO that led it on that date. The firms pay a
larger share every year, so the cluster page shows the external share of cost falling, as in a
healthy initiative. Rows are found by their natural key (cluster, date, title) and written
only when new or different, so a second run writes nothing.
"""

import datetime
from decimal import Decimal

from bsos.models import ClusterSupport
from clusters.models import Cluster
from demo.seed.rows import SeedReport, upsert
from firms.models import Firm
from monitoring.models.activities import Activity, ActivityType

YEARS = 3
# (month, day, type, title, firms, women, men, total cost)
PLAN = [
    (2, 14, ActivityType.STEERING_MEETING, "Steering committee: work plan", 8, 3, 6, 300),
    (4, 9, ActivityType.TRAINING, "Training: quality and food safety", 14, 11, 13, 2400),
    (6, 18, ActivityType.TRADE_FAIR, "Joint stand at the national trade fair", 9, 4, 7, 9000),
    (9, 22, ActivityType.JOINT_PURCHASING, "Joint purchase of inputs", 17, 5, 12, 1200),
    (11, 5, ActivityType.WORKSHOP, "Workshop: competitiveness action plan review", 20, 9, 14, 800),
]
# The firms' share of the cost, per year of the program (oldest first): rising.
FIRMS_SHARE = [Decimal("0.10"), Decimal("0.25"), Decimal("0.40")]
CURRENCY = {"AR": "ARS", "IN": "INR", "ET": "ETB"}  # others report in US dollars
CENTS = Decimal("0.01")
# The cluster whose activity log holds the whole plan, every year.
FULL_PLAN_CLUSTER = "mendoza-wine"
# Its joint actions name the member firms that took part, more of them each year, so that its
# collaboration network grows: (first member, how many in the first year), by kind.
JOINT_TAKERS = {ActivityType.TRADE_FAIR: (0, 2), ActivityType.JOINT_PURCHASING: (2, 2)}


def _costs(total: int, firms_share: Decimal) -> dict[str, Decimal]:
    total = Decimal(total)
    firms = (total * firms_share).quantize(CENTS)
    credit = (total * Decimal("0.05")).quantize(CENTS)
    public = (total * Decimal("0.10")).quantize(CENTS)
    return {
        "cost_firms": firms,
        "cost_credit": credit,
        "cost_public": public,
        "cost_program": total - firms - credit - public,
    }


def _lead_on(cluster: Cluster, on: datetime.date, supports: list[ClusterSupport]):
    for support in supports:
        if (
            support.role == ClusterSupport.Role.LEAD
            and support.since <= on
            and (support.until is None or support.until >= on)
        ):
            return support.bso
    return None


def _takers(cluster: Cluster, kind: str, year_index: int) -> list[Firm]:
    """The member firms named at the full-plan cluster's joint actions: a few the first year,
    one more each year after."""
    if cluster.code != FULL_PLAN_CLUSTER or kind not in JOINT_TAKERS:
        return []
    first, count = JOINT_TAKERS[kind]
    members = list(Firm.objects.filter(memberships__cluster=cluster).distinct().order_by("name"))
    return members[first : first + count + year_index]


def seed_activities(report: SeedReport, *, today: datetime.date) -> None:
    """Create or correct the demo activities (counted in the seed report)."""
    clusters = list(Cluster.objects.active().select_related("country").order_by("code"))
    supports: dict[int, list[ClusterSupport]] = {}
    for support in ClusterSupport.objects.filter(cluster__in=clusters).select_related("bso"):
        supports.setdefault(support.cluster_id, []).append(support)
    for index, year in enumerate(range(today.year - YEARS + 1, today.year + 1)):
        for number, cluster in enumerate(clusters):
            # One activity a year per cluster, the kinds in turn across clusters and years.
            chosen = [PLAN[(number + year) % len(PLAN)]]
            if cluster.code == FULL_PLAN_CLUSTER:
                chosen = PLAN
            for month, day, kind, title, firms, women, men, cost in chosen:
                on = datetime.date(year, month, day)
                bso = _lead_on(cluster, on, supports.get(cluster.pk, []))
                if on > today or bso is None:
                    continue
                upsert(
                    report,
                    Activity,
                    keys={"cluster": cluster, "date": on, "title": title},
                    m2m={"participant_firms": _takers(cluster, kind, index)},
                    values={
                        "bso": bso,
                        "type": kind,
                        "description": "",
                        "firms": firms + index,
                        "women": women + index,
                        "men": men,
                        "currency": CURRENCY.get(cluster.country.code, "USD"),
                        **_costs(cost, FIRMS_SHARE[index]),
                    },
                )
