"""A cluster's scorecard for one period: values, targets, achievement, status and scores.

The one function behind the scorecard page and the scorecard API (DESIGN.md rule 7). Values
come from the cluster's own report for the period, whatever its state (the state is shown
beside them); rollups above the cluster use approved values only and live elsewhere.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from accounts.scopes import scope_reports
from clusters.models import Cluster
from monitoring.models import Measurement, Report
from monitoring.reports.services import scorecard_for
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Level,
    OwnKPI,
    Period,
    Perspective,
    Target,
    TemplateKPI,
)
from scorecards.numbers import kpi_number
from scorecards.scoring import (
    Node,
    Score,
    kpi_score,
    mean_score,
    ratio_value,
    roll_scores,
    status,
)


@dataclass
class KPIScore:
    kpi: KPI
    own: bool
    weight: Decimal
    measurement: Measurement | None
    actual: Decimal | None
    target: Decimal | None
    baseline: Decimal | None
    score: Score  # achievement and status, with the numbers and formula behind them
    # the rows behind the numbers, for links to their history
    target_id: int | None = None
    baseline_id: int | None = None

    @property
    def achievement(self) -> Decimal | None:
        return self.score.achievement

    @property
    def status(self) -> str:
        return self.score.status


@dataclass
class CSFScore:
    csf: CSF
    kpis: list[KPIScore] = field(default_factory=list)
    score: Decimal | None = None
    status: str = "grey"


@dataclass
class PerspectiveScore:
    perspective: Perspective
    csfs: list[CSFScore] = field(default_factory=list)
    score: Decimal | None = None
    status: str = "grey"


@dataclass
class ScorecardScore:
    cluster: Cluster
    period: Period
    scorecard: ClusterScorecard
    report: Report | None
    perspectives: list[PerspectiveScore]
    score: Decimal | None
    status: str


def kpi_actual(kpi: KPI, values) -> Decimal | None:
    """The comparable number of a measurement or baseline: the ratio for ratio KPIs."""
    if values is None:
        return None
    if kpi.is_ratio:
        return ratio_value(values.numerator, values.denominator, kpi.scale)
    return values.value


@dataclass(frozen=True)
class ScoredValues:
    actual: Decimal | None
    baseline: Decimal | None
    score: Score


def score_values(
    *, kpi: KPI, values, target: Decimal | None, baseline_values, green: Decimal, amber: Decimal
) -> ScoredValues:
    """One KPI of a cluster's scorecard scored from its values (a measurement, or anything with
    value, numerator and denominator), the cluster's target and its baseline's values, by the
    template's thresholds. The scorecard page's rule, shared by every reading of a scorecard
    (dashboards.roles.clusters_off_track scores thousands of values at once through it)."""
    actual = kpi_actual(kpi, values)
    baseline = kpi_actual(kpi, baseline_values)
    score = kpi_score(
        actual=actual,
        target=target,
        baseline=baseline,
        lower_is_better=kpi.direction == KPI.Direction.LOWER,
        green=green,
        amber=amber,
    )
    return ScoredValues(actual, baseline, score)


def cluster_scorecard(
    *, cluster: Cluster, period: Period, without_values: bool = False
) -> ScorecardScore:
    """Score the cluster's scorecard for the period (KPIs of the period's frequency);
    `without_values` leaves the report out (for readers who may not see it yet)."""
    scorecard = scorecard_for(cluster=cluster, period=period)
    template = scorecard.template
    frequency = KPI.Frequency.QUARTERLY if period.is_quarter else KPI.Frequency.ANNUAL
    perspectives = list(
        template.perspectives.prefetch_related(
            Prefetch(
                "csfs",
                CSF.objects.prefetch_related(
                    Prefetch(
                        "kpis",
                        TemplateKPI.objects.filter(kpi__frequency=frequency).select_related("kpi"),
                    )
                ),
            )
        )
    )
    own_by_csf: dict[int, list[OwnKPI]] = {}
    own = scorecard.own_kpis.filter(kpi__status=KPI.Status.ACCEPTED, kpi__frequency=frequency)
    for placement in own.select_related("kpi"):
        own_by_csf.setdefault(placement.csf_id, []).append(placement)
    report = (
        None if without_values else Report.objects.filter(cluster=cluster, period=period).first()
    )
    measurements = {m.kpi_id: m for m in report.measurements.all()} if report is not None else {}
    targets = {
        kpi_id: (pk, value)
        for kpi_id, pk, value in Target.objects.filter(
            level=Level.CLUSTER, cluster=cluster, period=period
        ).values_list("kpi_id", "pk", "value")
    }
    baselines = {b.kpi_id: b for b in Baseline.objects.filter(cluster=cluster)}
    green, amber = template.green_threshold, template.amber_threshold

    def score_kpi(kpi: KPI, weight: Decimal, is_own: bool) -> KPIScore:
        measurement = measurements.get(kpi.pk)
        target_id, target = targets.get(kpi.pk, (None, None))
        baseline = baselines.get(kpi.pk)
        scored = score_values(
            kpi=kpi,
            values=measurement,
            target=target,
            baseline_values=baseline,
            green=green,
            amber=amber,
        )
        return KPIScore(
            kpi,
            is_own,
            weight,
            measurement,
            scored.actual,
            target,
            scored.baseline,
            scored.score,
            target_id=target_id,
            baseline_id=baseline.pk if baseline else None,
        )

    result_perspectives = []
    for perspective in perspectives:
        p_score = PerspectiveScore(perspective)
        for csf in perspective.csfs.all():
            c_score = CSFScore(csf)
            c_score.kpis = [score_kpi(p.kpi, p.weight, False) for p in csf.kpis.all()]
            c_score.kpis += [score_kpi(o.kpi, Decimal(1), True) for o in own_by_csf.get(csf.pk, [])]
            c_score.score = mean_score((k.achievement, k.weight) for k in c_score.kpis)
            c_score.status = status(c_score.score, green=green, amber=amber)
            p_score.csfs.append(c_score)
        p_score.score = roll_scores(Node(c.score) for c in p_score.csfs)
        p_score.status = status(p_score.score, green=green, amber=amber)
        result_perspectives.append(p_score)
    total = roll_scores(Node(p.score) for p in result_perspectives)
    return ScorecardScore(
        cluster,
        period,
        scorecard,
        report,
        result_perspectives,
        total,
        status(total, green=green, amber=amber),
    )


def scorecard_visible_to(user, *, cluster: Cluster, period: Period) -> ScorecardScore:
    """The cluster's scorecard as this user may see it: without the report's values when the
    report is not visible to them (ministries and regional bodies see approved ones only)."""
    card = cluster_scorecard(cluster=cluster, period=period)
    if (
        card.report is not None
        and not scope_reports(Report.objects.filter(pk=card.report.pk), user).exists()
    ):
        return cluster_scorecard(cluster=cluster, period=period, without_values=True)
    return card


SCORECARD_HEADERS = (
    gettext_lazy("Perspective"),
    gettext_lazy("Critical success factor"),
    gettext_lazy("KPI code"),
    gettext_lazy("KPI"),
    gettext_lazy("Value"),
    gettext_lazy("Target"),
    gettext_lazy("Baseline"),
    gettext_lazy("Achievement (%)"),
    gettext_lazy("Status"),
)


def scorecard_rows(card: ScorecardScore):
    """The scorecard as table rows (one per KPI) for downloads: the page's own numbers."""
    for perspective in card.perspectives:
        for csf in perspective.csfs:
            for k in csf.kpis:
                yield (
                    perspective.perspective.name,
                    csf.csf.name,
                    k.kpi.code,
                    k.kpi.name,
                    kpi_number(k.actual, k.kpi),
                    kpi_number(k.target, k.kpi),
                    kpi_number(k.baseline, k.kpi),
                    _plain(k.score.rounded_percent(1), places=1),
                    k.score.label,
                )


def _plain(value: Decimal | None, places: int = 4) -> Decimal | None:
    """A number as people write it: rounded, without trailing zeros or an exponent (6, not
    6.0000; 150, not 1.5E+2), the same on every database."""
    if value is None:
        return None
    rounded = value.quantize(Decimal(1).scaleb(-places))
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()
