"""Published numbers: a cluster's own, and those of a country, region or program added up from
its published clusters alone (DESIGN.md "Published results" and the rollup contract).

The stored rollup rows of a country, region or program count every cluster, published or not,
so their values are never shown here. Instead the engine's cluster rows (the same statement,
time aggregation included: monitoring.rollups.engine.cluster_rows) of the unit's published
clusters, less each one's withheld KPIs, are combined with the KPI's aggregation across
clusters, in Decimal: sum, mean of cluster values, ratio of summed numerators and denominators
(never a mean of percentages), share of yes, min, max. From the stored row come only what
does not reveal an unpublished cluster's value: how many clusters were expected, how many
reported (so those not published are counted, never named), a target set at the level (a
derived target sums unpublished clusters' targets: not shown) and when it was computed.

A number from fewer than MIN_GROUP published clusters is never shown (the benchmarking rule).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster
from monitoring.models import Report, Rollup
from monitoring.rollups.engine import cluster_rows
from monitoring.rollups.explain import FORMULAS, OVER_TIME
from monitoring.rollups.figures import Figure, figure
from monitoring.rollups.selectors import kpi_thresholds
from public.models import Publication
from public.selectors import published_values
from scorecards.models import KPI, Level, Period

MIN_GROUP = 3
PLACES = Decimal("0.0001")  # as a stored rollup keeps its numbers
YEARS_SHOWN = 5

WithheldKPI = Publication.withheld_kpis.through


def public_years() -> list[Period]:
    """The years public pages show, newest first: those begun by today, at most YEARS_SHOWN."""
    today = timezone.localdate()
    return list(Period.objects.years().filter(starts_on__lte=today).order_by("-year")[:YEARS_SHOWN])


def method(kpi: KPI, *, level: str) -> str:
    """How the number is made, in a sentence or two: across clusters, over time, what counts."""
    parts = []
    if level != Level.CLUSTER:
        parts.append(FORMULAS[kpi.aggregation] % {"scale": f"{kpi.scale.normalize():f}"})
    elif kpi.aggregation == KPI.Aggregation.RATIO:
        parts.append(
            _("numerator / denominator x %(scale)s") % {"scale": f"{kpi.scale.normalize():f}"}
        )
    if kpi.frequency == KPI.Frequency.QUARTERLY:
        parts.append(str(OVER_TIME[kpi.time_aggregation]))
    if level == Level.CLUSTER:
        parts.append(_("approved values only"))
    else:
        parts.append(
            _("approved values of published clusters only; fewer than %(n)s clusters: not shown")
            % {"n": MIN_GROUP}
        )
    text = "; ".join(str(part) for part in parts)
    return text[:1].upper() + text[1:] + "."


def withheld_pairs(cluster_ids) -> set[tuple[int, int]]:
    """(cluster, KPI) pairs the clusters keep unpublished."""
    return set(
        WithheldKPI.objects.filter(publication__cluster_id__in=list(cluster_ids)).values_list(
            "publication__cluster_id", "kpi_id"
        )
    )


def _reported(row: Rollup) -> bool:
    return bool(row.clusters_reporting) and (
        row.value is not None or (row.numerator is not None and row.denominator)
    )


# --- A published cluster's own numbers --------------------------------------------------------


def cluster_figures(cluster: Cluster, years: list[Period]) -> dict[int, list[Figure]]:
    """For each published core KPI of the cluster (not withheld), its year figures newest
    first, computed from approved values (rows without a value are left out)."""
    rows = cluster_rows(period_ids=[p.pk for p in years], cluster_ids=[cluster.pk])
    withheld = {kpi for _cluster, kpi in withheld_pairs([cluster.pk])}
    rows = [row for row in rows if row.kpi_id not in withheld and _reported(row)]
    # "as of": when the year's latest approved report of the cluster last changed (a cluster
    # row's own time is that of the engine's last run over it, which says less)
    approved = dict(
        Report.objects.filter(
            cluster=cluster, state=Report.State.APPROVED, period__year__in=[p.year for p in years]
        )
        .values("period__year")
        .annotate(latest=Max("updated_at"))
        .values_list("period__year", "latest")
        .order_by()
    )
    by_year = {p.pk: p.year for p in years}
    for row in rows:
        row.computed_at = approved.get(by_year[row.period_id], row.computed_at)
    return _figures(rows, years)


def _figures(rows: list[Rollup], years: list[Period]) -> dict[int, list[Figure]]:
    kpis = KPI.objects.in_bulk({row.kpi_id for row in rows})
    thresholds = kpi_thresholds(kpis)
    by_year = {p.pk: p for p in years}
    found: dict[int, list[Figure]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (kpis[r.kpi_id].code, -by_year[r.period_id].year)):
        row.kpi, row.period = kpis[row.kpi_id], by_year[row.period_id]
        row.green, row.amber = thresholds.get(row.kpi_id, (None, None))
        found[row.kpi_id].append(figure(row, stale_index=None))
    return dict(found)


@dataclass
class OwnValue:
    """An approved value of one of the cluster's own KPIs (they never roll up: rule 5), in one
    report period, as entered (a ratio as numerator / denominator x scale)."""

    kpi: KPI
    period: Period
    value: Decimal | None
    as_of: object


def own_kpi_values(cluster: Cluster, *, periods: int = 8) -> dict[int, list[OwnValue]]:
    """For each published own KPI of the cluster (not withheld), its approved values of the
    latest `periods` report periods, newest first. One query."""
    values = (
        published_values(Cluster.objects.filter(pk=cluster.pk))
        .filter(kpi__cluster=cluster)
        .select_related("kpi", "report__period")
        .order_by("kpi__code", "-report__period__ends_on", "report__period__kind")
    )
    found: dict[int, list[OwnValue]] = defaultdict(list)
    for m in values:
        if len(found[m.kpi_id]) >= periods:
            continue
        number = m.value
        if number is None and m.numerator is not None and m.denominator:
            number = (m.numerator / m.denominator * m.kpi.scale).quantize(PLACES)
        found[m.kpi_id].append(OwnValue(m.kpi, m.report.period, number, m.report.updated_at))
    return dict(found)


# --- A country's, a region's, a program's numbers from its published clusters ------------------


@dataclass
class AreaFigure:
    """One KPI in one year at a level: shown (its figure) only from MIN_GROUP published
    clusters up; its inputs always (the published clusters named, the others counted)."""

    kpi: KPI
    period: Period
    contributing: list[Cluster] = field(default_factory=list)
    unpublished: int = 0  # clusters that reported an approved value but are not published
    expected: int = 0
    figure: Figure | None = None

    @property
    def shown(self) -> bool:
        return self.figure is not None


def area_figures(
    *,
    level: str,
    unit_id: int,
    members: dict[int, list[int]],
    clusters: dict[int, Cluster],
    years: list[Period],
) -> dict[int, list[AreaFigure]]:
    """For each core KPI with a stored row or a published value at this unit, its year
    figures newest first. `members`: per year id, the ids of the unit's published clusters
    counted that year; `clusters`: those clusters by id (to name them)."""
    published_ids = set().union(*members.values()) if members else set()
    rows = cluster_rows(period_ids=[p.pk for p in years], cluster_ids=published_ids)
    withheld = withheld_pairs(published_ids)
    grouped: dict[tuple[int, int], list[Rollup]] = defaultdict(list)
    for row in rows:
        if (
            row.unit_id in members.get(row.period_id, ())
            and (row.unit_id, row.kpi_id) not in withheld
            and _reported(row)
        ):
            grouped[(row.kpi_id, row.period_id)].append(row)
    stored = {
        (row.kpi_id, row.period_id): row
        for row in Rollup.objects.filter(
            level=level, unit_id=unit_id, period_id__in=[p.pk for p in years]
        ).only(
            "kpi_id",
            "period_id",
            "target",
            "target_derived",
            "clusters_reporting",
            "clusters_expected",
            "computed_at",
        )
    }
    kpis = KPI.objects.in_bulk({key[0] for key in grouped} | {key[0] for key in stored})
    thresholds = kpi_thresholds(kpis)
    by_year = {p.pk: p for p in years}
    found: dict[int, list[AreaFigure]] = defaultdict(list)
    keys = sorted(set(grouped) | set(stored), key=lambda k: (kpis[k[0]].code, -by_year[k[1]].year))
    for kpi_id, period_id in keys:
        kpi, period = kpis[kpi_id], by_year[period_id]
        inputs = grouped.get((kpi_id, period_id), [])
        total = stored.get((kpi_id, period_id))
        result = AreaFigure(
            kpi=kpi,
            period=period,
            contributing=sorted((clusters[r.unit_id] for r in inputs), key=lambda c: c.name),
        )
        counted = len(inputs)
        result.expected = max(
            total.clusters_expected if total else 0, sum(r.clusters_expected for r in inputs)
        )
        result.unpublished = max((total.clusters_reporting if total else 0) - counted, 0)
        if counted >= MIN_GROUP:
            row = Rollup(
                kpi=kpi,
                period=period,
                level=level,
                unit_id=unit_id,
                clusters_reporting=counted,
                clusters_expected=result.expected,
                clusters_complete=None,
                computed_at=total.computed_at if total else timezone.now(),
                **combine(kpi, inputs),
            )
            if total is not None and not total.target_derived:
                row.target = total.target
            row.green, row.amber = thresholds.get(kpi_id, (None, None))
            result.figure = figure(row, stale_index=None)
        found[kpi_id].append(result)
    return dict(found)


def combine(kpi: KPI, rows: list[Rollup]) -> dict:
    """The KPI's value across these clusters' year rows (rule 2's aggregations), with the
    numerator and denominator of a ratio and the split by sex where given, rounded as stored."""
    values = [row.value for row in rows if row.value is not None]
    numbers: dict = {}
    aggregation = kpi.aggregation
    if aggregation == KPI.Aggregation.RATIO:
        numerator = sum((r.numerator for r in rows if r.numerator is not None), Decimal(0))
        denominator = sum((r.denominator for r in rows if r.denominator is not None), Decimal(0))
        numbers["numerator"], numbers["denominator"] = numerator, denominator
        numbers["value"] = numerator / denominator * kpi.scale if denominator > 0 else None
    elif not values:
        numbers["value"] = None
    elif aggregation == KPI.Aggregation.SUM:
        numbers["value"] = sum(values, Decimal(0))
        for split in ("value_women", "value_men"):
            parts = [getattr(r, split) for r in rows if getattr(r, split) is not None]
            numbers[split] = sum(parts, Decimal(0)) if parts else None
    elif aggregation in (KPI.Aggregation.MEAN, KPI.Aggregation.SHARE_YES):
        # a yes/no cluster value is 1 or 0: the mean is the share answering yes
        numbers["value"] = sum(values, Decimal(0)) / len(values)
    elif aggregation == KPI.Aggregation.MIN:
        numbers["value"] = min(values)
    else:
        numbers["value"] = max(values)
    return {
        name: None if number is None else number.quantize(PLACES, rounding=ROUND_HALF_UP)
        for name, number in numbers.items()
    }
