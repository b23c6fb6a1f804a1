"""Reads behind the national and regional dashboards: rolled-up values with their scores,
coverage and freshness, trends, and the ranking of a country's clusters.

Every number comes from the rollup engine's rows through monitoring.rollups.selectors
(cluster-level values only through `cluster_rollups`, so the engine may stop storing them), is
scoped by accounts.scopes, and is presented by monitoring.rollups.figures (scored by
scorecards.scoring, with its coverage and freshness), as on the rollup pages, downloads and API.
Each function costs a fixed number of queries whatever the number of clusters, so the pages stay
fast on large programs.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.scopes import clusters_in_scope, scope_rollups
from clusters.models import Country, Region
from monitoring.models import Rollup
from monitoring.rollups import selectors as rollup_selectors
from monitoring.rollups.figures import Figure, StaleIndex, figure
from scorecards.models import KPI, Level, Period, Template, TemplateKPI

# How many periods a trend shows, ending with the chosen one.
TREND_LENGTH = {Period.Kind.QUARTER: 8, Period.Kind.YEAR: 5}


# --- Periods ------------------------------------------------------------------------------------


def unit_periods(*, level: str, unit_ids: list[int]) -> list[Period]:
    """Periods that have rows for these units, latest first, each marked `has_values` when a
    cluster reported in one of them. One query."""
    rows = Rollup.objects.filter(level=level, unit_id__in=unit_ids, period=OuterRef("pk"))
    return list(
        Period.objects.annotate(
            has_rows=Exists(rows), has_values=Exists(rows.filter(clusters_reporting__gt=0))
        )
        .filter(has_rows=True)
        .order_by("-year", "quarter")
    )


def default_period(periods: list[Period]) -> Period | None:
    """The latest complete year with approved values, else the latest complete period with
    values, else the latest period with values, else the latest period: a national picture is
    read by the year first, and a year not over yet (a few of its quarters) would show every
    trend falling."""
    with_values = [p for p in periods if p.has_values]
    complete = [p for p in with_values if not p.is_partial]
    years = [p for p in complete if not p.is_quarter]
    return (years or complete or with_values or periods or [None])[0]


def chosen_period(periods: list[Period], raw: str | None) -> Period | None:
    """The period asked for, when it is one of the offered ones; else the default."""
    by_id = {str(p.pk): p for p in periods}
    return by_id.get(raw or "") or default_period(periods)


def trend_periods(period: Period) -> list[Period]:
    """The last periods of the same kind, oldest first, ending with this one."""
    found = Period.objects.filter(kind=period.kind, ends_on__lte=period.ends_on).order_by(
        "-ends_on"
    )[: TREND_LENGTH[period.kind]]
    return list(reversed(found))


# --- National dashboard -------------------------------------------------------------------------


@dataclass
class KPILine:
    kpi: KPI
    figure: Figure
    trend: list[tuple[Period, Figure | None]]


@dataclass
class PerspectiveGroup:
    template: Template | None
    name: str
    lines: list[KPILine] = field(default_factory=list)


def kpi_placements(kpi_ids: list[int]) -> dict[int, TemplateKPI]:
    """For each KPI, its place in the latest published template version that holds it (the
    version clusters adopt now), with CSF, perspective and template. One query."""
    placements = (
        TemplateKPI.objects.filter(
            kpi_id__in=kpi_ids, csf__perspective__template__status=Template.Status.PUBLISHED
        )
        .select_related("csf__perspective__template")
        .order_by("kpi_id", "-csf__perspective__template__version", "-csf__perspective__template")
    )
    found: dict[int, TemplateKPI] = {}
    for placement in placements:
        found.setdefault(placement.kpi_id, placement)
    return found


def national_kpis(user, *, country: Country, period: Period) -> list[PerspectiveGroup]:
    """Every core KPI rolled up for the country in the period, grouped by the perspective of
    the template that holds it, each with its trend over the last periods, and the splits of
    split KPIs with their completeness. Five queries, and two more where KPIs are split."""
    periods = trend_periods(period)
    rows = list(
        scope_rollups(rollup_selectors.rollup_list(), user).filter(
            level=Level.COUNTRY, unit_id=country.pk, period__in=periods
        )
    )
    stale_index = StaleIndex()
    by_key = {(r.kpi_id, r.period_id): figure(r, stale_index=stale_index) for r in rows}
    current = [f for (_k, p), f in by_key.items() if p == period.pk]
    rollup_selectors.rows_with_splits([f.row for f in current])
    placements = kpi_placements([f.row.kpi_id for f in current])

    def sort_key(f: Figure):
        place = placements.get(f.row.kpi_id)
        if place is None:
            return (1, "", 0, 0, 0, f.row.kpi.code)
        perspective = place.csf.perspective
        return (0, perspective.template.code, perspective.order, place.csf.order, place.order, "")

    groups: dict[tuple, PerspectiveGroup] = {}
    for current_figure in sorted(current, key=sort_key):
        kpi = current_figure.row.kpi
        place = placements.get(kpi.pk)
        if place is None:
            key, template, name = (None,), None, ""
        else:
            perspective = place.csf.perspective
            key, template, name = (perspective.pk,), perspective.template, perspective.name
        group = groups.setdefault(key, PerspectiveGroup(template, name))
        trend = [(p, by_key.get((kpi.pk, p.pk))) for p in periods]
        group.lines.append(KPILine(kpi, current_figure, trend))
    return list(groups.values())


@dataclass
class RankedCluster:
    rank: int | None
    cluster_id: int
    name: str
    figure: Figure | None


def country_ranking(
    user, *, country: Country, period: Period, kpi: KPI, figures: int | None = None
) -> list[RankedCluster]:
    """The country's clusters in the user's scope ranked on one KPI (best first, by the KPI's
    direction); clusters without an approved value come last, unranked. Ranked on the values
    alone (one narrow query); the full figures are read for the first `figures` (None: all)
    only, so that a page showing the best 25 of thousands builds 25. Four queries."""
    in_country = clusters_in_scope(user).filter(country=country)
    clusters = dict(in_country.order_by().values_list("pk", "name"))
    values = rollup_selectors.cluster_values(
        kpi_id=kpi.pk, period_id=period.pk, clusters=in_country
    )
    valued = rollup_selectors.best_first(
        [pk for pk in values if pk in clusters],
        value=values.__getitem__,
        name=clusters.__getitem__,
        lower_is_better=kpi.direction == KPI.Direction.LOWER,
    )
    ranked = [RankedCluster(rank, pk, clusters[pk], None) for rank, pk in enumerate(valued, 1)]
    rest = sorted((name, pk) for pk, name in clusters.items() if pk not in values)
    ranking = ranked + [RankedCluster(None, pk, name, None) for name, pk in rest]
    wanted = ranking if figures is None else ranking[:figures]
    found = rollup_selectors.cluster_figures(
        kpi_id=kpi.pk, period_id=period.pk, cluster_ids=[r.cluster_id for r in wanted]
    )
    for r in wanted:
        r.figure = found.get(r.cluster_id)
    return ranking


# --- Regional dashboard -------------------------------------------------------------------------


def rolled_kpis(*, level: str, unit_id: int, period: Period) -> QuerySet[KPI]:
    """Core KPIs rolled up for this unit in the period (the ones worth showing or comparing).
    Not for the cluster level: cluster values are read through cluster_rollups only."""
    rows = Rollup.objects.filter(level=level, unit_id=unit_id, period=period, kpi=OuterRef("pk"))
    return KPI.objects.filter(cluster__isnull=True).filter(Exists(rows)).order_by("code")


@dataclass
class RegionTable:
    kpis: list[KPI]
    region_figures: list[Figure | None]  # the region's own total, one per KPI
    countries: list[tuple[Country, list[Figure | None]]]  # one figure per KPI, in kpis' order


def region_table(user, *, region: Region, period: Period, kpis: list[KPI]) -> RegionTable:
    """The region's countries side by side on the chosen KPIs, with the region's own total
    (and how complete each split is). Three queries, and two more where KPIs are split."""
    countries = list(region.countries.order_by("name"))
    rows = scope_rollups(rollup_selectors.rollup_list(), user).filter(
        Q(level=Level.REGION, unit_id=region.pk)
        | Q(level=Level.COUNTRY, unit_id__in=[c.pk for c in countries]),
        period=period,
        kpi__in=kpis,
    )
    stale_index = StaleIndex()
    rows = rollup_selectors.rows_with_splits(list(rows))
    by_key = {(r.level, r.unit_id, r.kpi_id): figure(r, stale_index=stale_index) for r in rows}
    return RegionTable(
        kpis,
        [by_key.get((Level.REGION, region.pk, k.pk)) for k in kpis],
        [
            (country, [by_key.get((Level.COUNTRY, country.pk, k.pk)) for k in kpis])
            for country in countries
        ],
    )
