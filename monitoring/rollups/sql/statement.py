"""The rollup statements, assembled from their steps, for PostgreSQL and for SQLite.

The rollup contract (docs/architecture.md) is what they apply. The statements cover a set of
periods and every core KPI (or some of them). They read the approved values once and go from
clusters to totals through *groups* of alike clusters; each step is a module of this package,
whose docstring says what rows its CTEs yield, from which CTEs, with which columns:

0. `inputs`: the periods and KPIs covered (`periods`, `periods_of_the_years`, `kpis`,
   `template_kpis`).
1. `groups`: each cluster's group in each period (`cluster_groups`, `group_leaders`,
   `cluster_year_groups`).
2. `side_by_side`: the approved values of a year side by side, one row per cluster, KPI and
   year (`values_side_by_side`); `cluster_years`: each cluster year with its groups and its
   year value (`cluster_years`).
3. `group_sums`: the cluster years of alike groups added up slot by slot (`group_sums`);
   `period_sums`: each slot in its period and group (`period_sums`).
4. `coverage`: each group's partial sums with its coverage and its clusters' targets
   (`partial_sums`). For totals these are stored (`partials`: monitoring_rolluppartial, one
   row per KPI, period and group), so that a change of one cluster's values sums its group
   again (`Scope.groups_of`) and not the million values of its year.
5. `units`: the partial sums of the groups under each unit, added up (`unit_sums`).
6. `totals`: each unit's total beside its targets, the KPI's aggregation applied: the rows.

The statements (`tests/monitoring/sql/` holds their text as reviewed, and a test compares):

- `partials_insert_statement`: steps 0 to 4, the partial sums of every group inserted;
- `partials_replace_statement` (PostgreSQL): the same for the groups of some clusters, their
  old rows deleted by the same statement;
- `totals_insert_statement`: steps 0, 5 and 6 from the stored partial sums, inserted;
- `split_partials_insert_statement` and `split_partials_replace_statement`: the parts of
  split KPIs given by each group (every group, or the groups of some clusters), stored in
  monitoring_rollupsplitpartial as the partial sums are; `splits_insert_statement` adds them
  up beside the totals into monitoring_rollupsplit, and `splits_statement` gives the cluster
  split rows (read, not stored) (monitoring.rollups.sql.splits says why and how);
- `statement`: cluster rows in one statement, each cluster its own group and its own unit,
  with its own target and baseline: steps 0 to 2b, then `cluster_sums` in place of steps 3a
  to 5 (a cluster's sums are its own values: nothing to add up), then step 6;
  `cluster_rows_insert_statement` inserts them into monitoring_clusterrollup beside the
  totals (every cluster of the scope's periods, or the clusters whose values changed), so
  that pages comparing thousands of clusters read rows, and the audit
  (`computed_cluster_rows`) computes them from source.

Where PostgreSQL and SQLite spell a step differently, `VENDORS` says how; nothing else in the
steps depends on the vendor. (The replace statement is PostgreSQL's alone: SQLite has no
DELETE inside a WITH, and there the engine recomputes whole periods.)
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from monitoring.rollups.sql import (
    cluster_sums,
    cluster_years,
    coverage,
    group_sums,
    groups,
    inputs,
    partials,
    period_sums,
    side_by_side,
    splits,
    totals,
    units,
)
from monitoring.rollups.sql.partials import PARTIAL_COLUMNS, STORED_PARTIALS
from monitoring.rollups.sql.totals import COLUMNS

__all__ = [
    "COLUMNS",
    "Scope",
    "cluster_rows_insert_statement",
    "partials_insert_statement",
    "partials_replace_statement",
    "split_partials_insert_statement",
    "split_partials_replace_statement",
    "splits_insert_statement",
    "splits_statement",
    "statement",
    "totals_insert_statement",
]


@dataclass(frozen=True)
class Vendor:
    """How a database spells what the statements need and SQL does not standardise."""

    # a set of ids as text, the same for the same set ({column}: the ids)
    set_of: str
    # `{column}` in the ids `{subquery}` selects, found through the index on `{column}`
    id_in: str


VENDORS = {
    "postgresql": Vendor(
        set_of="string_agg(CAST({column} AS text), ',' ORDER BY {column})",
        # = ANY(ARRAY(...)) needs no nested loop to use the index
        id_in="{column} = ANY(ARRAY({subquery}))",
    ),
    "sqlite": Vendor(
        # any order will do: a group needs the same set, not the same spelling of it
        set_of="group_concat({column})",
        id_in="{column} IN ({subquery})",
    ),
}


@dataclass(frozen=True)
class Scope:
    """What one statement covers: periods, KPIs (None: all), and which clusters.

    For cluster rows (`clusters`), `cluster_ids` are the clusters to compute (None: all). For
    totals, `groups_of` limits the partial sums to the groups of these clusters (None: every
    group): what one report's approval changes.
    """

    period_ids: tuple[int, ...] | None = None
    kpi_ids: tuple[int, ...] | None = None
    clusters: bool = False  # cluster rows, not totals
    cluster_ids: tuple[int, ...] | None = None
    groups_of: tuple[int, ...] | None = None


def statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """The SELECT of cluster rows (COLUMNS) for this scope (`clusters`), and its parameters."""
    assert scope.clusters, "totals are added up from stored partial sums (totals_statement)"
    params = _params()
    targets = _in("t.cluster_id", scope.cluster_ids, "c", params)
    ctes = [
        *_cluster_years(scope, _vendor(vendor), params),
        *_step(cluster_sums, cluster_sums.ctes()),
        # (the clusters' own targets and baselines only)
        *_step(totals, totals.ctes(targets=f"t.level = 'cluster' AND {targets}")),
    ]
    baselines = _in("cluster_id", scope.cluster_ids, "c", params)
    return _with(ctes) + "\n" + totals.rows(baselines_of=baselines), params


def cluster_rows_insert_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """INSERT INTO monitoring_clusterrollup the cluster rows of the scope (`clusters`): the
    engine prepares them beside the totals."""
    sql, params = statement(scope, vendor=vendor)
    return _insert("monitoring_clusterrollup", COLUMNS, sql), params


def partials_insert_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """INSERT INTO monitoring_rolluppartial the partial sums of the scope's groups."""
    params = _params()
    select = _with(_partial_sums(scope, _vendor(vendor), params)) + "\n" + STORED_PARTIALS
    return _insert("monitoring_rolluppartial", PARTIAL_COLUMNS, select), params


def partials_replace_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """Replace the stored partial sums of the groups of `scope.groups_of` (PostgreSQL): one
    statement deletes the old rows of the groups it sums and inserts the new ones."""
    assert scope.groups_of is not None
    params = _params()
    ctes = [
        *_partial_sums(scope, _vendor(vendor), params),
        *_step(partials, partials.replaced(all_kpis=scope.kpi_ids is None)),
    ]
    # (here the INSERT follows the WITH: a WITH that deletes must come first)
    sql = _with(ctes) + "\n" + _insert("monitoring_rolluppartial", PARTIAL_COLUMNS, STORED_PARTIALS)
    return sql, params


def totals_insert_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """INSERT INTO monitoring_rollup the total rows of the scope's periods and KPIs, added up
    from the stored partial sums. (The same text for both vendors.)"""
    _vendor(vendor)
    params = _params()
    periods, kpis = scope.period_ids, scope.kpi_ids
    ctes = [
        *_step(
            inputs,
            inputs.totals_ctes(
                periods=_in("id", periods, "p", params), kpis=_in("id", kpis, "k", params)
            ),
        ),
        *_step(
            partials,
            partials.read_back(
                periods=_in("period_id", periods, "p", params),
                kpis=_in("kpi_id", kpis, "k", params),
            ),
        ),
        *_step(units, units.ctes()),
        *_step(totals, totals.ctes()),
    ]
    select = _with(ctes) + "\n" + totals.rows()
    return _insert("monitoring_rollup", COLUMNS, select), params


def split_partials_insert_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """INSERT INTO monitoring_rollupsplitpartial the parts of split KPIs given by each group of
    the scope's periods (monitoring.rollups.sql.splits)."""
    params = _params()
    select = _with(_split_partials(scope, _vendor(vendor), params)) + "\n" + splits.STORED_PARTIALS
    return _insert("monitoring_rollupsplitpartial", splits.PARTIAL_COLUMNS, select), params


def split_partials_replace_statement(
    scope: Scope, *, vendor: str | None = None
) -> tuple[str, dict]:
    """Replace the stored parts of the groups of `scope.groups_of` (PostgreSQL), as
    `partials_replace_statement` does the partial sums."""
    assert scope.groups_of is not None
    params = _params()
    replaced_kpis = _in("stored.kpi_id", scope.kpi_ids, "k", params)
    ctes = _split_partials(scope, _vendor(vendor), params, replaced_kpis=replaced_kpis)
    sql = (
        _with(ctes)
        + "\n"
        + _insert("monitoring_rollupsplitpartial", splits.PARTIAL_COLUMNS, splits.STORED_PARTIALS)
    )
    return sql, params


def splits_insert_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """INSERT INTO monitoring_rollupsplit the split rows of the scope's periods and KPIs (every
    total level), added up from the groups' stored parts. (The same text for both vendors.)"""
    _vendor(vendor)
    params = _params()
    periods, kpis = scope.period_ids, scope.kpi_ids
    ctes = [
        inputs.PERIODS.format(periods=_in("id", periods, "p", params)),
        *splits.totals_ctes(
            periods=_in("period_id", periods, "p", params),
            kpis=_in("kpi_id", kpis, "k", params),
        ),
    ]
    select = _with(ctes) + "\n" + splits.rows()
    return _insert("monitoring_rollupsplit", splits.COLUMNS, select), params


def splits_statement(scope: Scope, *, vendor: str | None = None) -> tuple[str, dict]:
    """The SELECT of the split rows of clusters (`scope.cluster_ids`, None: all), level
    "cluster", in the order of `splits.COLUMNS`."""
    assert scope.clusters
    params = _params()
    select = splits.clusters_select(
        periods=_in("id", scope.period_ids, "p", params),
        kpis=_in("id", scope.kpi_ids, "k", params),
        clusters=_in("r.cluster_id", scope.cluster_ids, "c", params),
        id_in=_vendor(vendor).id_in,
    )
    return select, params


def _split_partials(
    scope: Scope, vendor: Vendor, params: dict, *, replaced_kpis: str | None = None
) -> list[str]:
    """The CTEs up to each group's parts (`group_parts`, `group_dimensions`) for this scope:
    step 0's periods, step 1's groups, then the clusters' parts (the clusters of the groups
    of `scope.groups_of`, or every cluster)."""
    read = "1 = 1"
    changed = None
    if scope.groups_of is not None:
        changed = _in("changed.cluster_id", scope.groups_of, "g", params)
        read = vendor.id_in.format(
            column="r.cluster_id", subquery="SELECT cluster_id FROM cluster_groups"
        )
    return [
        *_step(
            inputs,
            [
                inputs.PERIODS.format(periods=_in("id", scope.period_ids, "p", params)),
                inputs.PERIODS_OF_THE_YEARS,
            ],
        ),
        *_step(
            groups,
            groups.ctes(
                mode="totals",
                set_of=vendor.set_of,
                clusters_in=_clusters_to_group(scope, params),
                changed_clusters=changed,
            ),
        ),
        *_step(
            splits,
            [
                *splits.parts_ctes(
                    kpis=_in("id", scope.kpi_ids, "k", params), clusters=read, id_in=vendor.id_in
                ),
                *splits.partials_ctes(replaced_kpis=replaced_kpis),
            ],
        ),
    ]


def _partial_sums(scope: Scope, vendor: Vendor, params: dict) -> list[str]:
    """Steps 0 to 4 (the CTEs up to `partial_sums`) for this scope (totals)."""
    return [
        *_cluster_years(scope, vendor, params),
        *_step(group_sums, group_sums.ctes()),
        *_step(period_sums, period_sums.ctes()),
        *_step(coverage, coverage.ctes()),
    ]


def _cluster_years(scope: Scope, vendor: Vendor, params: dict) -> list[str]:
    """Steps 0 to 2b (the CTEs up to `cluster_years`) for this scope."""

    clusters_in = _clusters_to_group(scope, params)
    changed, read = None, clusters_in("r.cluster_id")
    if scope.groups_of is not None:
        # only the groups of these clusters, and only their clusters' values read
        changed = _in("changed.cluster_id", scope.groups_of, "g", params)
        read = vendor.id_in.format(
            column="r.cluster_id", subquery="SELECT cluster_id FROM cluster_groups"
        )
    periods, kpis = scope.period_ids, scope.kpi_ids
    return [
        *_step(
            inputs,
            inputs.ctes(periods=_in("id", periods, "p", params), kpis=_in("id", kpis, "k", params)),
        ),
        *_step(
            groups,
            groups.ctes(
                mode="clusters" if scope.clusters else "totals",
                set_of=vendor.set_of,
                clusters_in=clusters_in,
                changed_clusters=changed,
            ),
        ),
        *_step(side_by_side, side_by_side.ctes(read_clusters=read, id_in=vendor.id_in)),
        *_step(cluster_years, cluster_years.ctes()),
    ]


def _clusters_to_group(scope: Scope, params: dict) -> Callable[[str], str]:
    """A condition on a cluster id column: the clusters step 1 works out the groups of. For
    cluster rows, the scope's clusters (None: all); for the groups of some clusters, every
    cluster of their countries (a group lies in one country: no other cluster can share their
    groups, and a country holds a fortieth of the clusters where a program holds them all);
    otherwise every cluster."""
    if scope.groups_of is None:
        return lambda column: _in(column, scope.cluster_ids, "c", params)
    changed = _in("changed.id", scope.groups_of, "g", params)
    countries = f"SELECT changed.country_id FROM clusters_cluster changed WHERE {changed}"
    return lambda column: (
        f"{column} IN (SELECT alike.id FROM clusters_cluster alike "
        f"WHERE alike.country_id IN ({countries}))"
    )


def _step(module, ctes: list[str]) -> list[str]:
    """A step's CTEs, headed by what the step yields (its module's STEP)."""
    first, *others = ctes
    return [f"\n-- {module.STEP}\n{first}", *others]


def _vendor(name: str | None) -> Vendor:
    """The named vendor's spelling (None: the connection's)."""
    name = name or ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    return VENDORS[name]


def _in(column: str, ids, name: str, params: dict) -> str:
    if ids is None:
        return "1 = 1"
    if not ids:
        return "1 = 0"
    names = [f"{name}{i}" for i in range(len(ids))]
    params.update(zip(names, ids, strict=True))
    return "{} IN ({})".format(column, ", ".join(f"%({n})s" for n in names))


def _params() -> dict:
    return {"true": True, "false": False, "now": timezone.now()}


def _with(ctes: list[str]) -> str:
    return "WITH\n" + ",\n".join(ctes).lstrip("\n")


def _insert(table: str, columns: list[str], sql: str) -> str:
    # INSERT first, then the WITH: both databases accept it, and Python's sqlite3 reports
    # the row count only for statements that start with INSERT.
    return f"INSERT INTO {table} ({', '.join(columns)})\n{sql}"
