"""The rollup engine: approved values rolled up from clusters to every level, set-based.

DESIGN.md "Rollup semantics" is the contract; `monitoring.rollups.sql.statement` holds the one
statement that applies it (read its docstring). Here is what runs it:

- `recompute(period_ids=, kpi_ids=, groups_of=)` rebuilds the stored total rows (country,
  region, program, global) of those periods and KPIs, in one transaction under a lock per
  year (a year is built from its quarters): first the partial sums of the groups of alike
  clusters, of the values and of split KPIs' parts (every group; or, when only some clusters'
  values changed, their groups alone), then the totals and split rows added up from every
  group's partial sums. Each is a delete, then an insert
  of a statement's rows. Recomputing from source is idempotent, rows whose source is gone
  disappear, and two workers on the same year take turns.
- The cluster rows are prepared in the same transaction, with the same statement (every
  cluster of the periods, or only the clusters whose values changed), into ClusterRollup:
  `cluster_rows(...)` reads them, so that a page comparing thousands of clusters reads rows
  instead of computing them (issue 20). `computed_cluster_rows(...)` computes them from source.
- Stale markers (`process_stale`): one recompute for every period they name; an approval's
  marker names its cluster, so only that cluster's group is summed again.
- Full runs: one task per year, with progress, and `analyze_rewritten()` once one finishes;
  and the audit.

Achievement and status are not stored: readers compute them with scorecards.scoring from
value, target and baseline.
"""

import logging
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models, transaction

from core.cache import settled_reads
from monitoring.models import (
    ClusterRollup,
    Rollup,
    RollupPartial,
    RollupPartialsBuilt,
    RollupSplit,
    RollupSplitPartial,
)
from monitoring.rollups.sql.splits import COLUMNS as SPLIT_COLUMNS
from monitoring.rollups.sql.statement import (
    COLUMNS,
    Scope,
    cluster_rows_insert_statement,
    partials_insert_statement,
    partials_replace_statement,
    split_partials_insert_statement,
    split_partials_replace_statement,
    splits_insert_statement,
    splits_statement,
    statement,
    totals_insert_statement,
)
from scorecards.models import Level, Period

log = logging.getLogger(__name__)

# The rollup statement hashes millions of rows on a full run: give it the memory to do so
# without spilling to disk. No JIT compilation: PostgreSQL would spend seconds compiling a
# statement this long, to save less than that on a few thousand rows. No nested loops and no
# sorts: the planner cannot size the statement's CTEs, and would loop over one for each row
# of another (seconds where a hash join takes milliseconds) or sort the cluster years of a
# year to group them (a quarter of a second, where hashing takes less). The same holds for the
# statements of a few groups (an approval): they find the values through the ids of their
# clusters' reports (`= ANY(ARRAY(...))`, an index scan without a nested loop) and the groups
# among the clusters of one country; planned with nested loops, they looped over whole CTEs
# for each part or cluster (13 to 50 s for one approval at 50,000 clusters, against 0.7 s).
# (PostgreSQL; the settings end with the transaction.)
PLANNER_SETTINGS = {
    "work_mem": "512MB",
    "jit": "off",
    "enable_nestloop": "off",
    "enable_sort": "off",
}


def _plan_for_the_statement() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(  # set_config(..., true): until the transaction ends, in one query
                "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in PLANNER_SETTINGS),
                [part for item in PLANNER_SETTINGS.items() for part in item],
            )


def _lock_years(years: Iterable[int]) -> None:
    """Serialise recomputes of the same years (PostgreSQL; SQLite serialises every write)."""
    _plan_for_the_statement()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for year in sorted(set(years)):  # always in the same order: no deadlock
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, year])


LOCK_CLASS = 7301


@transaction.atomic
def recompute(
    *,
    period_ids: Iterable[int] | None = None,
    kpi_ids: Iterable[int] | None = None,
    groups_of: Iterable[int] | None = None,
) -> int:
    """Rebuild the total rows of these periods and KPIs (None: all); return the rows written.

    A quarter's year is recomputed with it, since the year is built from its quarters. First
    the partial sums of the groups of clusters (`groups_of`: only the groups of these clusters,
    where only their values changed; None: every group), then the totals added up from them.
    """
    periods = None if period_ids is None else with_their_years(period_ids)
    kpis = None if kpi_ids is None else sorted(set(kpi_ids))
    years = Period.objects.all() if periods is None else Period.objects.filter(pk__in=periods)
    _lock_years(years.values_list("year", flat=True).distinct())
    if periods == [] or kpis == []:
        return 0
    whole, in_part = periods, []
    if groups_of is not None and periods is not None and connection.vendor == "postgresql":
        # (SQLite spells a group's program and template sets in no set order, so a group
        # may not come out the same twice: there, every change recomputes its whole periods)
        built = set(
            RollupPartialsBuilt.objects.filter(period_id__in=periods).values_list(
                "period_id", flat=True
            )
        )
        whole = [p for p in periods if p not in built]
        in_part = [p for p in periods if p in built]
    if whole is None or whole:
        _rebuild_partials(Scope(period_ids=_ids(whole), kpi_ids=_ids(kpis)))
        _rebuild_cluster_rows(Scope(period_ids=_ids(whole), kpi_ids=_ids(kpis), clusters=True))
    if in_part:
        _rebuild_partials(
            Scope(period_ids=tuple(in_part), kpi_ids=_ids(kpis), groups_of=_ids(groups_of))
        )
        _rebuild_cluster_rows(
            Scope(
                period_ids=tuple(in_part),
                kpi_ids=_ids(kpis),
                clusters=True,
                cluster_ids=_ids(groups_of),
            )
        )
    if kpis is None:
        built = RollupPartialsBuilt.objects.all()
        if whole is not None:
            built = built.filter(period_id__in=whole)
        built._raw_delete(built.db)
        ids = Period.objects.values_list("pk", flat=True) if whole is None else whole
        RollupPartialsBuilt.objects.bulk_create(RollupPartialsBuilt(period_id=p) for p in ids)
    totals = _filtered(Rollup.objects.all(), periods, kpis)
    totals._raw_delete(totals.db)  # no signals, no cascades: rows nothing points to
    scope = Scope(period_ids=_ids(periods), kpi_ids=_ids(kpis))
    with connection.cursor() as cursor:
        cursor.execute(*totals_insert_statement(scope))
        written = cursor.rowcount
    _rebuild_splits(scope)
    return written


# The tables a recompute rewrites. Their statistics are PostgreSQL's own guesses at their size
# and values until autovacuum samples them again: after a first full run into empty tables,
# the planner would take millions of rows for none and plan the dashboards' reads as such.
REWRITTEN = [Rollup, ClusterRollup, RollupSplit, RollupPartial, RollupSplitPartial]


def analyze_rewritten() -> None:
    """Have PostgreSQL sample the tables recomputes rewrite (after a full run: 0.35 s at 50,000
    clusters). Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(model._meta.db_table for model in REWRITTEN))


def _rebuild_splits(scope: Scope) -> None:
    """Replace the split rows of the scope's periods and KPIs, added up from the groups' stored
    parts (monitoring.rollups.sql.splits)."""
    old = _filtered(RollupSplit.objects.all(), scope.period_ids, scope.kpi_ids)
    old._raw_delete(old.db)
    with connection.cursor() as cursor:
        cursor.execute(*splits_insert_statement(scope))


def _ids(ids: Iterable[int] | None) -> tuple[int, ...] | None:
    return None if ids is None else tuple(sorted(set(ids)))


def _filtered(rows: models.QuerySet, periods, kpis) -> models.QuerySet:
    if periods is not None:
        rows = rows.filter(period_id__in=periods)
    if kpis is not None:
        rows = rows.filter(kpi_id__in=kpis)
    return rows


def _rebuild_cluster_rows(scope: Scope) -> None:
    """Replace the prepared rows of the scope's clusters (`scope.cluster_ids`, None: every
    cluster) in its periods and KPIs by fresh ones."""
    old = _filtered(ClusterRollup.objects.all(), scope.period_ids, scope.kpi_ids)
    if scope.cluster_ids is not None:
        old = old.filter(unit_id__in=scope.cluster_ids)
    old._raw_delete(old.db)
    with connection.cursor() as cursor:
        cursor.execute(*cluster_rows_insert_statement(scope))


def _rebuild_partials(scope: Scope) -> None:
    """Replace the stored partial sums of the scope's groups, of the totals and of the splits
    (every group of its periods, or the groups of `scope.groups_of`) by fresh ones."""
    stored = [
        (RollupPartial, partials_insert_statement, partials_replace_statement),
        (RollupSplitPartial, split_partials_insert_statement, split_partials_replace_statement),
    ]
    with connection.cursor() as cursor:
        for model, insert, replace in stored:
            if scope.groups_of is None:
                old = _filtered(model.objects.all(), scope.period_ids, scope.kpi_ids)
                old._raw_delete(old.db)
                cursor.execute(*insert(scope))
            else:
                cursor.execute(*replace(scope))


def recompute_kpi(*, kpi_id: int, period_ids: Iterable[int] | None = None) -> int:
    """Rebuild one KPI's total rows (all periods when None)."""
    return recompute(period_ids=period_ids, kpi_ids=[kpi_id])


def cluster_rows(
    *,
    period_ids: Iterable[int],
    cluster_ids: Iterable[int] | None = None,
    kpi_ids: Iterable[int] | None = None,
) -> list[Rollup]:
    """Cluster-level rows of these clusters (None: all), periods and KPIs (None: all core), as
    the engine prepared them: unsaved Rollup objects (level "cluster", unit_id the cluster, no
    id of their own), like every reader's rows. One query."""
    rows = ClusterRollup.objects.filter(period_id__in=period_ids)
    if cluster_ids is not None:
        rows = rows.filter(unit_id__in=cluster_ids)
    if kpi_ids is not None:
        rows = rows.filter(kpi_id__in=kpi_ids)
    # (positional arguments in the model's field order: the fast way to build thousands)
    return [Rollup(None, *values) for values in rows.values_list(*_ROLLUP_FIELDS)]


# Rollup's fields after its id, in its order (ClusterRollup has the same ones).
_ROLLUP_FIELDS = [field.attname for field in Rollup._meta.concrete_fields[1:]]


def computed_cluster_rows(
    *,
    period_ids: Iterable[int],
    cluster_ids: Iterable[int] | None = None,
    kpi_ids: Iterable[int] | None = None,
) -> list[Rollup]:
    """The same rows computed from source by the rollup statement (unsaved Rollup objects), as
    the engine would prepare them now (the tests compare both; the audit recomputes instead, in
    a transaction it rolls back)."""
    scope = Scope(
        period_ids=tuple(sorted(set(period_ids))),
        kpi_ids=None if kpi_ids is None else tuple(sorted(set(kpi_ids))),
        clusters=True,
        cluster_ids=None if cluster_ids is None else tuple(sorted(set(cluster_ids))),
    )
    if not scope.period_ids or scope.cluster_ids == () or scope.kpi_ids == ():
        return []
    sql, params = statement(scope)
    # (settings local to a transaction: no savepoint of its own inside the caller's)
    # (approved values only: a draft saved meanwhile does not retire what was computed here)
    with settled_reads(), transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # (the values are read through their reports' ids either way; with nested loops, the
        # planner would loop over whole CTEs once the clusters are a few hundred: 21 s for
        # 1000 clusters against 5 s, and no faster for one)
        _plan_for_the_statement()
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [_cluster_row(values) for values in found]


def _cluster_row(values) -> Rollup:
    """A row of the statement as an unsaved Rollup, its numbers rounded as a stored row's."""
    row = Rollup(level=Level.CLUSTER)
    for name, value in zip(COLUMNS, values, strict=True):
        field = Rollup._meta.get_field(name.removesuffix("_id") if name != "unit_id" else name)
        if value is not None and isinstance(field, models.DecimalField):
            places = Decimal(1).scaleb(-field.decimal_places)
            value = Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)
        elif value is not None:
            value = field.to_python(value)
        setattr(row, field.attname, value)
    row.level = Level.CLUSTER
    return row


def cluster_split_rows(
    *,
    period_ids: Iterable[int],
    cluster_ids: Iterable[int] | None = None,
    kpi_ids: Iterable[int] | None = None,
) -> list[RollupSplit]:
    """The split rows of clusters (None: all), computed on read as `cluster_rows` are (unsaved
    RollupSplit objects, level "cluster", unit_id the cluster)."""
    scope = Scope(
        period_ids=tuple(sorted(set(period_ids))),
        kpi_ids=None if kpi_ids is None else tuple(sorted(set(kpi_ids))),
        clusters=True,
        cluster_ids=None if cluster_ids is None else tuple(sorted(set(cluster_ids))),
    )
    if not scope.period_ids or scope.cluster_ids == () or scope.kpi_ids == ():
        return []
    with settled_reads(), connection.cursor() as cursor:
        cursor.execute(*splits_statement(scope))
        found = cursor.fetchall()
    rows = []
    for values in found:
        row = RollupSplit(**dict(zip(SPLIT_COLUMNS, values, strict=True)))
        if row.value is not None:
            row.value = Decimal(str(row.value)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        rows.append(row)
    return rows


def with_their_years(period_ids: Iterable[int]) -> list[int]:
    ids = set(period_ids)
    years = Period.objects.filter(pk__in=ids).values("year")
    ids |= set(Period.objects.years().filter(year__in=years).values_list("pk", flat=True))
    return sorted(ids)


# --- Audit ---------------------------------------------------------------------------------

ROW_FIELDS = [name for name in COLUMNS if name != "computed_at"]


def _rows(kpi_ids: list[int] | None) -> dict[tuple, tuple]:
    """Every stored row, totals and prepared cluster rows, by (KPI, period, level, unit)."""
    found = {}
    for model in (Rollup, ClusterRollup):
        rows = model.objects.all()
        if kpi_ids is not None:
            rows = rows.filter(kpi_id__in=kpi_ids)
        found.update((r[:4], r) for r in rows.values_list(*ROW_FIELDS))
    return found


def audit(*, kpi_ids: Iterable[int] | None = None) -> list[str]:
    """Recompute from source without keeping anything and list every stored row that differs."""
    kpis = None if kpi_ids is None else sorted(set(kpi_ids))
    with transaction.atomic():
        stored = _rows(kpis)
        recompute(kpi_ids=kpis)
        fresh = _rows(kpis)
        transaction.set_rollback(True)  # the audit writes nothing
    return [
        f"kpi {key[0]} period {key[1]} {key[2]} {key[3]}: "
        f"stored {stored.get(key)} != source {fresh.get(key)}"
        for key in sorted(stored.keys() | fresh.keys(), key=str)
        if stored.get(key) != fresh.get(key)
    ]
