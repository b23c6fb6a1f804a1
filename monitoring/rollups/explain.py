"""Where a rollup number comes from: its clusters, their values and report states, the formula."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import clusters_in_scope
from clusters.models import Cluster
from monitoring.models import Report, Rollup
from monitoring.rollups import engine
from scorecards.models import KPI, Level, Period

FORMULAS = {
    KPI.Aggregation.SUM: gettext_lazy("sum of the clusters' values"),
    KPI.Aggregation.MEAN: gettext_lazy("mean of the clusters' values"),
    KPI.Aggregation.RATIO: gettext_lazy("sum of numerators / sum of denominators x %(scale)s"),
    KPI.Aggregation.SHARE_YES: gettext_lazy("share of reporting clusters answering yes"),
    KPI.Aggregation.MIN: gettext_lazy("lowest of the clusters' values"),
    KPI.Aggregation.MAX: gettext_lazy("highest of the clusters' values"),
}
OVER_TIME = {
    KPI.TimeAggregation.SUM: gettext_lazy("the year is the sum of its approved quarters"),
    KPI.TimeAggregation.LAST: gettext_lazy("the year is its latest approved quarter"),
    KPI.TimeAggregation.MEAN: gettext_lazy("the year is the mean of its approved quarters"),
}


def members(level: str, unit_id: int, period: Period):
    """The clusters a unit's total counts (each once)."""
    if level == Level.CLUSTER:
        return Cluster.objects.filter(pk=unit_id)
    if level == Level.COUNTRY:
        return Cluster.objects.filter(country_id=unit_id)
    if level == Level.REGION:
        return Cluster.objects.filter(country__regions=unit_id)
    if level == Level.PROGRAM:
        return Cluster.objects.filter(
            Q(enrolments__enrolled_until__isnull=True)
            | Q(enrolments__enrolled_until__gte=period.starts_on),
            enrolments__program_id=unit_id,
            enrolments__enrolled_from__lte=period.ends_on,
        ).distinct()
    return Cluster.objects.all()


@dataclass
class Contribution:
    cluster: Cluster
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    state: str  # approved, pending, missing
    detail: str = ""


@dataclass
class Explanation:
    row: Rollup
    formula: str
    contributions: list[Contribution] = field(default_factory=list)
    hidden: int = 0  # clusters counted but outside the reader's scope


def explain(row: Rollup, user) -> Explanation:
    """The clusters behind a rollup value, with their values and the state of their reports."""
    kpi, period = row.kpi, row.period
    formula = FORMULAS[kpi.aggregation] % {"scale": f"{kpi.scale.normalize():f}"}
    quarterly_year = kpi.frequency == KPI.Frequency.QUARTERLY and not period.is_quarter
    if quarterly_year:
        formula = f"{formula}; {OVER_TIME[kpi.time_aggregation]}"
    cluster_rows = {
        r.unit_id: r
        for r in engine.cluster_rows(
            period_ids=[period.pk],
            cluster_ids=members(row.level, row.unit_id, period).values_list("pk", flat=True),
            kpi_ids=[kpi.pk],
        )
    }
    visible = set(
        clusters_in_scope(user).filter(pk__in=list(cluster_rows)).values_list("pk", flat=True)
    )
    report_periods = (
        Period.objects.quarters().filter(year=period.year) if quarterly_year else [period]
    )
    states: dict[int, list[str]] = {}
    for cluster_id, state in Report.objects.filter(
        cluster_id__in=visible, period__in=report_periods
    ).values_list("cluster_id", "state"):
        states.setdefault(cluster_id, []).append(state)
    explanation = Explanation(row, formula, hidden=len(set(cluster_rows) - visible))
    for cluster in Cluster.objects.filter(pk__in=visible).order_by("name"):
        r = cluster_rows[cluster.pk]
        found = states.get(cluster.pk, [])
        approved = found.count(Report.State.APPROVED)
        if r.clusters_reporting:
            state = "approved"
        elif found and approved < len(found):
            state = "pending"  # a report waits for approval
        else:
            state = "missing"  # no report, or approved without this value
        detail = _("%(n)s of 4 quarters approved") % {"n": approved} if quarterly_year else ""
        explanation.contributions.append(
            Contribution(cluster, r.value, r.numerator, r.denominator, state, detail)
        )
    return explanation
