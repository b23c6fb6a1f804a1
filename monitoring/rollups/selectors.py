"""Read queries for rolled-up values: the scoped table (paged by monitoring.rollups.keyset), one
row, a unit's name, cluster rows, and the splits beside rows with their completeness."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.scopes import clusters_in_scope, scope_rollups
from clusters.models import Cluster, Country, Region
from monitoring.models import ClusterRollup, Report, Rollup, RollupSplit
from monitoring.rollups.engine import cluster_rows, cluster_split_rows
from monitoring.rollups.figures import Figure, StaleIndex, figure
from monitoring.rollups.keyset import keyset_key
from programs.models import Program
from scorecards.models import (
    KPI,
    AgeGroup,
    Dimension,
    Level,
    Period,
    Template,
    TemplateKPI,
    categories,
)


def rollup_list() -> QuerySet[Rollup]:
    """Rollup rows with their KPI and period, and the status thresholds of the latest template
    version holding the KPI (for achievement, status and labels)."""
    template = Template.objects.filter(perspectives__csfs__kpis__kpi=OuterRef("kpi")).order_by(
        "-version", "-pk"
    )
    return Rollup.objects.annotate(
        green=Subquery(template.values("green_threshold")[:1]),
        amber=Subquery(template.values("amber_threshold")[:1]),
    ).select_related("kpi", "period")


# --- The rollup table page ---------------------------------------------------------------------

# Top-down: the widest total first.
LEVEL_ORDER = [Level.GLOBAL, Level.PROGRAM, Level.REGION, Level.COUNTRY, Level.CLUSTER]
UNIT_MODELS = {
    Level.CLUSTER: Cluster,
    Level.COUNTRY: Country,
    Level.REGION: Region,
    Level.PROGRAM: Program,
}


def rollup_table(user, *, period: Period, filters: dict) -> QuerySet[Rollup]:
    """One period's rollup rows the user may read, with the unit's name and the level's rank
    to order them by (keyset.KEYSET_ORDER)."""
    return (
        scope_rollups(rollup_list(), user)
        .filter(period=period, **filters)
        .annotate(level_rank=_level_rank_expression(), unit_sort=_unit_name_expression())
    )


def _unit_name_expression():
    """The name of a row's unit (cluster, country, region, program), in SQL; "" for the global
    level (its sort key)."""
    return Coalesce(_unit_field_expression("name"), Value(""), output_field=CharField())


def _unit_field_expression(field: str):
    """A field (code, name) of a row's unit, in SQL; null for the global level."""
    whens = [
        When(
            level=level,
            then=Subquery(model.objects.filter(pk=OuterRef("unit_id")).values(field)[:1]),
        )
        for level, model in UNIT_MODELS.items()
    ]
    return Case(*whens, output_field=CharField())


def rollup_api_list() -> QuerySet[Rollup]:
    """rollup_list() with each row's unit named (unit_code, unit_name) in the same query."""
    return rollup_list().annotate(
        unit_code=_unit_field_expression("code"), unit_name=_unit_field_expression("name")
    )


def name_units(rows: list[Rollup]) -> list[Rollup]:
    """Give rows read without rollup_api_list() (computed cluster rows, one explained row) their
    unit_code and unit_name: one query per level present, none for the global level."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.level in UNIT_MODELS:
            wanted.setdefault(row.level, set()).add(row.unit_id)
    labels = {
        level: {
            pk: (code, name)
            for pk, code, name in UNIT_MODELS[level]
            .objects.filter(pk__in=ids)
            .values_list("pk", "code", "name")
        }
        for level, ids in wanted.items()
    }
    for row in rows:
        row.unit_code, row.unit_name = labels.get(row.level, {}).get(row.unit_id, (None, None))
    return rows


def _level_rank_expression():
    return Case(
        *(When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)),
        default=Value(len(LEVEL_ORDER)),
        output_field=IntegerField(),
    )


def rollup_periods(user, filters: dict) -> list[Period]:
    """Periods with rows the user may read, latest first, each marked `has_values` when some
    row under the filters has a cluster reporting. One query."""
    scoped = scope_rollups(Rollup.objects.filter(period=OuterRef("pk")), user)
    filtered = scoped.filter(**filters, clusters_reporting__gt=0)
    return list(
        Period.objects.annotate(has_rows=Exists(scoped), has_values=Exists(filtered))
        .filter(has_rows=True)
        .order_by("-year", "-quarter")
    )


def cluster_periods(user) -> list[Period]:
    """Periods in which the user's clusters have an approved report (a year: one of its
    quarters or its annual report), latest first, each marked `has_values`: the periods of
    the cluster rows. One query."""
    approved = Report.objects.filter(
        cluster__in=clusters_in_scope(user), state=Report.State.APPROVED
    )
    in_its_year = approved.filter(period__year=OuterRef("year"))
    return list(
        Period.objects.filter(
            Q(Exists(approved.filter(period=OuterRef("pk"))))
            | Q(Exists(in_its_year), kind=Period.Kind.YEAR)
        )
        .annotate(has_values=Value(True))
        .order_by("-year", "-quarter")
    )


def readable_rollup(user, *, kpi_id: int, period_id: int, level: str, unit_id: int):
    """One rollup row by its natural key if the user may read it (else None), with its KPI,
    period and thresholds (totals from Rollup, cluster rows from ClusterRollup)."""
    if level == Level.CLUSTER:
        if not clusters_in_scope(user).filter(pk=unit_id).exists():
            return None
        rows = cluster_rollups(period_ids=[period_id], cluster_ids=[unit_id], kpi_ids=[kpi_id])
        return rows[0] if rows else None
    return (
        scope_rollups(rollup_list(), user)
        .filter(kpi_id=kpi_id, period_id=period_id, level=level, unit_id=unit_id)
        .first()
    )


def unit_name(*, level: str, unit_id: int) -> str:
    """The name of a rollup's unit (a cluster, country, region or program), "" for the global
    level or a unit gone. One query, none for the global level."""
    model = UNIT_MODELS.get(level)
    if model is None:
        return ""
    return model.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""


def cluster_rollup_table(user, *, period: Period, filters: dict) -> list[Rollup]:
    """The cluster-level rows of one period the user may read (filters: kpi_id, unit_id), with
    the attributes rollup_table() gives its rows (unit_sort, level_rank), in keyset.KEYSET_ORDER."""
    clusters = clusters_in_scope(user)
    if filters.get("unit_id") is not None:
        clusters = clusters.filter(pk=filters["unit_id"])
    names = dict(clusters.values_list("pk", "name"))
    kpi_ids = [filters["kpi_id"]] if filters.get("kpi_id") else None
    rows = cluster_rollups(period_ids=[period.pk], cluster_ids=list(names), kpi_ids=kpi_ids)
    rank = LEVEL_ORDER.index(Level.CLUSTER)
    for row in rows:
        row.unit_sort, row.level_rank = names.get(row.unit_id, ""), rank
    rows.sort(key=keyset_key)
    return rows


def cluster_rollups_in_scope(
    user, *, period_id: int | None, cluster_id: int | None, kpi_id: int | None
) -> list[Rollup]:
    """Cluster-level rows the user may read, of one period or one cluster (or both), in the
    order of cluster_rollups(), their units named (name_units)."""
    clusters = clusters_in_scope(user)
    if cluster_id is not None:
        clusters = clusters.filter(pk=cluster_id)
    periods = [period_id] if period_id else Period.objects.values_list("pk", flat=True)
    rows = cluster_rollups(
        period_ids=periods,
        cluster_ids=clusters.values_list("pk", flat=True),
        kpi_ids=[kpi_id] if kpi_id else None,
    )
    return name_units(rows)


def rollup_at(*, kpi_id: int, period_id: int, level: str, unit_id: int) -> Rollup | None:
    """One rollup row by its natural key, as readers get it: stored for the totals, computed
    as the engine prepared it at cluster level (engine.cluster_rows). Not scoped: callers scope
    the unit."""
    if level == Level.CLUSTER:
        rows = cluster_rows(period_ids=[period_id], cluster_ids=[unit_id], kpi_ids=[kpi_id])
        return rows[0] if rows else None
    return Rollup.objects.filter(
        kpi_id=kpi_id, period_id=period_id, level=level, unit_id=unit_id
    ).first()


def cluster_rollups(
    *, period_ids: list[int], cluster_ids: list[int] | None = None, kpi_ids: list[int] | None = None
) -> list[Rollup]:
    """Cluster-level rollup rows (level "cluster", unit_id the cluster) for these periods,
    optionally only some clusters and KPIs, with their KPI, period and status thresholds.
    The engine prepares them beside the totals (engine.cluster_rows reads them), with
    the rules of every other level. Ordered by KPI code, period end and cluster."""
    rows = cluster_rows(period_ids=period_ids, cluster_ids=cluster_ids, kpi_ids=kpi_ids)
    if rows:
        kpis = KPI.objects.in_bulk({r.kpi_id for r in rows})
        periods = Period.objects.in_bulk({r.period_id for r in rows})
        thresholds = kpi_thresholds(kpis)
        for row in rows:
            row.kpi, row.period = kpis[row.kpi_id], periods[row.period_id]
            row.green, row.amber = thresholds.get(row.kpi_id, (None, None))
        rows.sort(key=lambda r: (r.kpi.code, r.period.ends_on, r.unit_id))
    return rows


def cluster_values(*, kpi_id: int, period_id: int, clusters: QuerySet[Cluster]) -> dict:
    """{cluster id: value} of the clusters of `clusters` with a value for the KPI in the period,
    from the prepared cluster rows: what ranks and quartiles need, in one narrow query."""
    return dict(
        ClusterRollup.objects.filter(
            kpi_id=kpi_id,
            period_id=period_id,
            value__isnull=False,
            unit_id__in=clusters.values("pk"),
        ).values_list("unit_id", "value")
    )


def best_first(items: list, *, value, name, lower_is_better: bool) -> list:
    """The items ordered best first by `value(item)` (the KPI's direction), then by `name(item)`:
    two stable sorts by plain keys, no Decimal negated per item (thousands on a large program)."""
    ordered = sorted(items, key=name)
    ordered.sort(key=value, reverse=not lower_is_better)
    return ordered


def cluster_figures(*, kpi_id: int, period_id: int, cluster_ids) -> dict[int, Figure]:
    """{cluster id: Figure} of these clusters' rows of the KPI in the period: the full figures of
    the few rows a page shows. Five queries (none without clusters)."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return {}
    rows = cluster_rollups(period_ids=[period_id], cluster_ids=ids, kpi_ids=[kpi_id])
    stale_index = StaleIndex() if rows else None
    return {row.unit_id: figure(row, stale_index=stale_index) for row in rows}


# --- The review queue as a download -------------------------------------------------------------


def kpi_thresholds(kpi_ids) -> dict[int, tuple]:
    """For each KPI, the (green, amber) thresholds of the latest template version holding it
    (highest version, then highest id). One query; KPIs held by no template are absent."""
    found: dict[int, tuple] = {}
    placements = (
        TemplateKPI.objects.filter(kpi_id__in=set(kpi_ids))
        .order_by(
            "kpi_id", "-csf__perspective__template__version", "-csf__perspective__template_id"
        )
        .values_list(
            "kpi_id",
            "csf__perspective__template__green_threshold",
            "csf__perspective__template__amber_threshold",
        )
    )
    for kpi_id, green, amber in placements:
        found.setdefault(kpi_id, (green, amber))
    return found


# --- Splits beside the totals ---------------------------------------------------------------


def split_completeness(row: Rollup, splits: list[RollupSplit]) -> dict[str, Decimal]:
    """Per dimension the KPI asks for, the share of the row's reporting clusters that gave the
    split (0 when none did; nothing when no cluster reported)."""
    if not row.clusters_reporting:
        return {}
    gave = {split.dimension: split.clusters_split for split in splits}
    return {
        dimension: Decimal(gave.get(dimension, 0)) / row.clusters_reporting
        for dimension in row.kpi.split_dimensions
    }


@dataclass
class SplitPart:
    category: str
    label: str
    value: Decimal | None
    clusters: int


@dataclass
class SplitSummary:
    """One dimension of a split KPI beside a rollup row: its parts and its completeness."""

    dimension: str
    label: str
    clusters_split: int
    clusters_reporting: int
    completeness: Decimal | None
    parts: list[SplitPart]

    @property
    def percent(self) -> Decimal | None:
        return None if self.completeness is None else self.completeness * 100


def rows_with_splits(rows: list[Rollup]) -> list[Rollup]:
    """Give each row (its `kpi` loaded) a `splits` list of SplitSummary, one per dimension its
    KPI asks for: at most three queries whatever the number of rows (the stored split rows,
    the cluster split rows computed on read by one statement, the age groups), none without a split
    KPI."""
    wanted = [r for r in rows if r.kpi.split_dimensions]
    for row in rows:
        row.splits = []
    if not wanted:
        return rows
    found: dict[tuple, list[RollupSplit]] = {}
    stored = [r for r in wanted if r.level != Level.CLUSTER]
    on_read = [r for r in wanted if r.level == Level.CLUSTER]
    if stored:
        query = Q()
        for level in {r.level for r in stored}:
            query |= Q(
                level=level,
                unit_id__in={r.unit_id for r in stored if r.level == level},
                kpi_id__in={r.kpi_id for r in stored if r.level == level},
                period_id__in={r.period_id for r in stored if r.level == level},
            )
        splits = list(RollupSplit.objects.filter(query))
    else:
        splits = []
    if on_read:
        splits += cluster_split_rows(
            period_ids={r.period_id for r in on_read},
            cluster_ids={r.unit_id for r in on_read},
            kpi_ids={r.kpi_id for r in on_read},
        )
    for split in splits:
        key = (split.kpi_id, split.period_id, split.level, split.unit_id)
        found.setdefault(key, []).append(split)
    by_age = any(r.kpi.by_age for r in wanted)
    age_groups = list(AgeGroup.objects.all()) if by_age else []
    labels = {d: dict(categories(d, age_groups=age_groups)) for d in Dimension.values}
    for row in wanted:
        mine = found.get((row.kpi_id, row.period_id, row.level, row.unit_id), [])
        share = split_completeness(row, mine)
        for dimension in row.kpi.split_dimensions:
            given = {s.category: s for s in mine if s.dimension == dimension}
            order = [c for c in labels[dimension] if c in given] + sorted(
                c for c in given if c not in labels[dimension]
            )
            row.splits.append(
                SplitSummary(
                    dimension=dimension,
                    label=str(Dimension(dimension).label),
                    clusters_split=max((s.clusters_split for s in given.values()), default=0),
                    clusters_reporting=row.clusters_reporting,
                    completeness=share.get(dimension),
                    parts=[
                        SplitPart(
                            category=c,
                            label=str(labels[dimension].get(c, c)),
                            value=given[c].value,
                            clusters=given[c].clusters,
                        )
                        for c in order
                    ],
                )
            )
    return rows
