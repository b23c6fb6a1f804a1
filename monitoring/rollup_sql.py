"""The rollup statements: approved values rolled up to every level, set-based.

DESIGN.md "Rollup semantics" is the contract. The statements cover a set of periods and every
core KPI (or some of them), portable between PostgreSQL and SQLite. They read the approved
values once and go from clusters to totals through *groups*:

1. `cg`: each cluster's group in each period. Clusters of a group share everything a total
   depends on: country, status, the programs they are enrolled in during the period and the
   scorecard templates in force at its end. So a group sits in exactly one country, in each
   region holding that country, in each of its programs and in the global total, and a
   cluster counts once per total however many programs or overlapping regions it is in
   (rules 2 and 3). There are a few hundred groups where there are thousands of clusters.
   A group is named by its *leader*, its lowest cluster id: the group belongs to the units
   its leader belongs to.
2. `gs`: one pass over the approved values (rule 1), grouped two ways at once:
   - by (KPI, period, group): the partial sums of the values as they are (a quarter's value,
     or an annual KPI's year value): count, sum, min, max, numerators, denominators, women,
     men, yes answers. Every aggregation is built from these, exactly (a mean is sum/count,
     a ratio sum of numerators over sum of denominators, never a mean of percentages);
   - by (cluster, KPI, year): a quarterly KPI's year, time first, from the cluster's own
     quarters (sum, mean or last, numerators and denominators apart), and whether all four
     quarters are approved.
   PostgreSQL does both in one scan (GROUPING SETS); SQLite runs the two GROUP BYs.
3. `pt`: the cluster years folded into their year's group partials, beside the others.
4. `base`: coverage (rule 4): a group expects a KPI when its clusters are active and a
   template in force holds it (quarterly KPIs in quarters and years, annual ones in years); a
   cluster that reports without being expected counts in the base too. And, for sum KPIs,
   the targets of the group's clusters in the base (rule 6's derived target).
   For totals these partial sums are stored (monitoring_rolluppartial, one row per KPI,
   period and group: `partials_insert_statement`), so that a change of one cluster's values
   sums its group again (`Scope.groups_of`) and not the million values of its year.
5. `agg`: the partial sums of the groups under each unit, added up; the KPI's aggregation
   applied (`totals_insert_statement`, from the stored partial sums: a few thousand rows).
6. Targets set at the level, or the derived one, marked as such (rule 6).

Cluster-level rows (`statement`, `Scope.clusters`) go through steps 1 to 6 in one statement,
each cluster its own group and its own unit, with its own target and baseline. They are not
stored (they would copy every approved value): pages and the API compute them on read, for
the clusters they show, with the very same rules.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from monitoring.rollup_totals_sql import (
    BASELINE,
    BASELINE_JOIN,
    COLUMNS,
    LEVEL_CODE,
    LEVEL_NAME,
    STORED_BASE,
    TOTALS,
    UNITS,
)

VALUE_COLUMNS = ["value", "numerator", "denominator", "value_women", "value_men"]

# The partial sums every level is built from, over the rows of `s` (step 2).
PARTIALS = """
    COUNT(*) AS n,
    SUM(s.value) AS sv, COUNT(s.value) AS cv, MIN(s.value) AS mnv, MAX(s.value) AS mxv,
    SUM(s.numerator) AS sn, COUNT(s.numerator) AS cn,
    SUM(s.denominator) AS sd, COUNT(s.denominator) AS cd,
    SUM(s.value_women) AS sw, COUNT(s.value_women) AS cw,
    SUM(s.value_men) AS sm, COUNT(s.value_men) AS cm,
    SUM(CASE WHEN s.value = 1 THEN 1 ELSE 0 END) AS yes"""

# A quarterly KPI's "last" year value: the latest approved quarter's, per column. PostgreSQL
# takes the greatest [quarter, values...] array (quarters differ, so the quarter decides);
# SQLite numbers the quarters from the latest (`rn`, a window in its source).
LAST_POSTGRESQL = (
    "(MAX(ARRAY[s.quarter, s.value, s.numerator, s.denominator, s.value_women, s.value_men]))"
    "[{i}] AS l{short}"
)
LAST_SQLITE = "MAX(CASE WHEN s.rn = 1 THEN s.{column} END) AS l{short}"
SHORT = {"value": "v", "numerator": "n", "denominator": "d", "value_women": "w", "value_men": "m"}
COUNT_OF = {"v": "cv", "n": "cn", "d": "cd", "w": "cw", "m": "cm"}

SOURCE = """
    SELECT r.cluster_id, m.kpi_id, r.period_id, sp.kind, sp.quarter, sp.year_id, g.gid,
           m.value, m.numerator, m.denominator, m.value_women, m.value_men {rank}
    FROM monitoring_report r
    JOIN sper sp ON sp.id = r.period_id
    JOIN monitoring_measurement m ON m.report_id = r.id
    LEFT JOIN cg g ON g.cluster_id = r.cluster_id AND g.period_id = r.period_id
    WHERE r.state = 'approved' AND {source_clusters}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))"""
# (The KPIs, and which of them to recompute, are joined after the grouping, on a few thousand
# partial rows: joined or filtered here, they lead PostgreSQL's planner to read the values KPI
# by KPI through an index, which takes minutes where a whole year takes a second.)
RANK_SQLITE = (
    ", ROW_NUMBER() OVER (PARTITION BY r.cluster_id, m.kpi_id, sp.year "
    "ORDER BY sp.quarter DESC) AS rn"
)

GROUPED_POSTGRESQL = """
gs AS (
    SELECT GROUPING(s.cluster_id) AS partial, s.kpi_id, s.cluster_id, s.period_id, s.kind,
           s.gid, s.year_id, {aggregates}
    FROM ({source}) s
    GROUP BY GROUPING SETS (
        (s.kpi_id, s.period_id, s.kind, s.gid), (s.cluster_id, s.kpi_id, s.year_id)
    )
)"""
GROUPED_SQLITE = """
src AS ({source}),
gs AS (
    SELECT 1 AS partial, s.kpi_id, NULL AS cluster_id, s.period_id, s.kind, s.gid,
           NULL AS year_id, {aggregates}
    FROM src s GROUP BY s.kpi_id, s.period_id, s.kind, s.gid
    UNION ALL
    SELECT 0, s.kpi_id, s.cluster_id, NULL, NULL, NULL, s.year_id, {aggregates}
    FROM src s WHERE s.year_id IS NOT NULL GROUP BY s.cluster_id, s.kpi_id, s.year_id
)"""

# Each cluster's place per period (step 1): a group of clusters alike for every total
# (`totals`), or the cluster itself (`clusters`).
GROUP_OF = {
    "totals": (
        "DENSE_RANK() OVER (ORDER BY c.country_id, c.status, COALESCE(ps.s, ''), "
        "COALESCE(ts.s, ''))"
    ),
    "clusters": "c.id",
}
SET_OF = {
    "postgresql": "string_agg(CAST({column} AS text), ',' ORDER BY {column})",
    # any order will do: a group needs the same set, not the same spelling of it
    "sqlite": "group_concat({column})",
}

# Steps 1 to 4: the partial sums of each group of clusters, per KPI and period (`base`).
PARTIAL_SUMS = """
WITH
per AS (SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE {periods}),
sper AS (
    SELECT p.id, p.kind, p.year, p.quarter,
           CASE WHEN p.kind = 'quarter' THEN (
               SELECT y.id FROM per y WHERE y.kind = 'year' AND y.year = p.year
           ) END AS year_id
    FROM scorecards_period p WHERE p.year IN (SELECT year FROM per)
),
kp AS (
    SELECT id, aggregation, time_aggregation, frequency, scale,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind
    FROM scorecards_kpi WHERE cluster_id IS NULL AND {kpis}
),
tk AS (
    SELECT DISTINCT ps.template_id, t.kpi_id
    FROM scorecards_templatekpi t
    JOIN scorecards_csf c ON c.id = t.csf_id
    JOIN scorecards_perspective ps ON ps.id = c.perspective_id
    WHERE t.kpi_id IN (SELECT id FROM kp)
),
enr AS (
    SELECT DISTINCT e.cluster_id, p.id AS period_id, e.program_id
    FROM programs_enrolment e
    JOIN per p ON e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    WHERE {enrolment_clusters}
),
cst AS (
    SELECT DISTINCT cs.cluster_id, p.id AS period_id, cs.template_id
    FROM scorecards_clusterscorecard cs
    JOIN per p ON cs.adopted_on <= p.ends_on AND (cs.until IS NULL OR cs.until >= p.ends_on)
    WHERE {scorecard_clusters}
),
ps AS (SELECT cluster_id, period_id, {program_set} AS s FROM enr GROUP BY cluster_id, period_id),
ts AS (SELECT cluster_id, period_id, {template_set} AS s FROM cst GROUP BY cluster_id, period_id),
cga AS (
    SELECT c.id AS cluster_id, p.id AS period_id, c.country_id,
           CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS active, {group_of} AS gid
    FROM clusters_cluster c
    CROSS JOIN per p
    LEFT JOIN ps ON ps.cluster_id = c.id AND ps.period_id = p.id
    LEFT JOIN ts ON ts.cluster_id = c.id AND ts.period_id = p.id
    WHERE {clusters}
),
cg AS ({groups}),
gl AS (SELECT period_id, gid, MIN(cluster_id) AS leader_id FROM cg GROUP BY period_id, gid),
{grouped},
x AS (
    SELECT gs.partial, gs.kpi_id, COALESCE(gs.period_id, gs.year_id) AS period_id,
           COALESCE(gs.gid, yg.gid) AS gid, gs.n, gs.sv, gs.cv, gs.mnv, gs.mxv, gs.sn, gs.sd,
           gs.sw, gs.sm, gs.yes, {year_values}
    FROM gs
    JOIN kp ON kp.id = gs.kpi_id
    -- (planned without nested loops: estimated at one row, gs would be looped over cg)
    LEFT JOIN cg yg ON gs.partial = 0 AND yg.cluster_id = gs.cluster_id
        AND yg.period_id = gs.year_id
    -- a KPI's values come from reports of its own frequency; a year from quarters only
    WHERE (gs.partial = 1 AND gs.kind = kp.source_kind)
       OR (gs.partial = 0 AND kp.source_kind = 'quarter')
),
pt AS (
    SELECT kpi_id, period_id, gid,
           SUM(CASE WHEN partial = 1 THEN n ELSE 1 END) AS nr,
           SUM(CASE WHEN partial = 1 THEN sv ELSE yv END) AS sv,
           SUM(CASE WHEN partial = 1 THEN cv WHEN yv IS NOT NULL THEN 1 ELSE 0 END) AS cv,
           MIN(CASE WHEN partial = 1 THEN mnv ELSE yv END) AS mnv,
           MAX(CASE WHEN partial = 1 THEN mxv ELSE yv END) AS mxv,
           SUM(CASE WHEN partial = 1 THEN sn ELSE yn END) AS sn,
           SUM(CASE WHEN partial = 1 THEN sd ELSE yd END) AS sd,
           SUM(CASE WHEN partial = 1 THEN sw ELSE yw END) AS sw,
           SUM(CASE WHEN partial = 1 THEN sm ELSE ym END) AS sm,
           SUM(CASE WHEN partial = 1 THEN yes WHEN yv = 1 THEN 1 ELSE 0 END) AS yes,
           SUM(CASE WHEN partial = 1 THEN n WHEN n = 4 THEN 1 ELSE 0 END) AS complete
    FROM x WHERE gid IS NOT NULL
    GROUP BY kpi_id, period_id, gid
),
gk AS (
    SELECT DISTINCT g.period_id, g.gid, tk.kpi_id
    FROM (SELECT DISTINCT cg.period_id, cg.gid, cst.template_id
          FROM cg JOIN cst ON cst.cluster_id = cg.cluster_id AND cst.period_id = cg.period_id
          WHERE cg.active = 1) g
    JOIN tk ON tk.template_id = g.template_id
    JOIN kp ON kp.id = tk.kpi_id
    JOIN per p ON p.id = g.period_id
    WHERE p.kind = 'year' OR kp.frequency = 'quarterly'
),
ex AS (
    SELECT gk.kpi_id, gk.period_id, gk.gid, z.n
    FROM gk JOIN (SELECT period_id, gid, COUNT(*) AS n FROM cg GROUP BY period_id, gid) z
        ON z.period_id = gk.period_id AND z.gid = gk.gid
),
ct AS (
    SELECT g.gid, t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    JOIN kp ON kp.id = t.kpi_id AND kp.aggregation = 'sum'
    JOIN per p ON p.id = t.period_id
    JOIN cg g ON g.cluster_id = t.cluster_id AND g.period_id = t.period_id
    WHERE t.level = 'cluster' AND {derive_targets} AND (
        EXISTS (
            SELECT 1 FROM gk
            WHERE gk.period_id = t.period_id AND gk.gid = g.gid AND gk.kpi_id = t.kpi_id
        ) OR EXISTS (
            SELECT 1 FROM monitoring_report r
            JOIN scorecards_period sp ON sp.id = r.period_id
            JOIN monitoring_measurement m ON m.report_id = r.id AND m.kpi_id = t.kpi_id
            WHERE r.cluster_id = t.cluster_id AND r.state = 'approved'
              AND sp.kind = kp.source_kind
              AND (sp.id = t.period_id OR (p.kind = 'year' AND sp.year = p.year))
              AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
        )
    )
),
base AS (
    -- coverage: a group expected to report counts all its clusters; one that is not, only
    -- those that reported (a cluster that reports unasked is in the base as well); and the
    -- targets of its clusters, for sum KPIs (rule 6)
    SELECT kpi_id, period_id, gid, SUM(nr) AS nr, SUM(sv) AS sv, SUM(cv) AS cv,
           MIN(mnv) AS mnv, MAX(mxv) AS mxv, SUM(sn) AS sn, SUM(sd) AS sd, SUM(sw) AS sw,
           SUM(sm) AS sm, SUM(yes) AS yes, SUM(complete) AS complete,
           CASE WHEN MAX(expected) = 1 THEN SUM(expected_n) ELSE SUM(nr) END AS nx,
           SUM(dtv) AS dtv
    FROM (
        SELECT kpi_id, period_id, gid, nr, sv, cv, mnv, mxv, sn, sd, sw, sm, yes, complete,
               0 AS expected, 0 AS expected_n, CAST(NULL AS NUMERIC) AS dtv, 1 AS counted
        FROM pt
        UNION ALL
        SELECT kpi_id, period_id, gid, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0,
               1, n, NULL, 1
        FROM ex
        UNION ALL
        SELECT kpi_id, period_id, gid, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0,
               0, 0, value, 0
        FROM ct
    ) all_kinds
    GROUP BY kpi_id, period_id, gid
    HAVING MAX(counted) = 1
)"""

# A group's partial sums, to store (totals): the group named by its leader.
STORED_PARTIALS = """
SELECT b.kpi_id, b.period_id, l.leader_id, b.nr, b.nx, b.complete, b.sv, b.cv, b.mnv, b.mxv,
       b.sn, b.sd, b.sw, b.sm, b.yes, b.dtv
FROM base b JOIN gl l ON l.period_id = b.period_id AND l.gid = b.gid"""
PARTIAL_COLUMNS = [
    "kpi_id",
    "period_id",
    "leader_id",
    "reporting",
    "expected",
    "complete",
    "value_sum",
    "value_count",
    "value_min",
    "value_max",
    "numerator_sum",
    "denominator_sum",
    "women_sum",
    "men_sum",
    "yes",
    "derived_target",
]
# The old partial sums of the groups a statement sums again. (Deleted and inserted rows are
# apart: the insert's rows are new, and the statement sees the table as it was.)
GONE = """,
gone AS (
    DELETE FROM monitoring_rolluppartial d USING gl
    WHERE d.period_id = gl.period_id AND d.leader_id = gl.leader_id AND {kpis}
)
"""


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


def _in(column: str, ids, name: str, params: dict) -> str:
    if ids is None:
        return "1 = 1"
    if not ids:
        return "1 = 0"
    names = [f"{name}{i}" for i in range(len(ids))]
    params.update(zip(names, ids, strict=True))
    return "{} IN ({})".format(column, ", ".join(f"%({n})s" for n in names))


def _year_values() -> str:
    """A cluster's year value per column, by the KPI's time aggregation (step 2)."""
    return ", ".join(
        f"CASE kp.time_aggregation WHEN 'sum' THEN gs.s{s} "
        f"WHEN 'mean' THEN gs.s{s} * 1.0 / NULLIF(gs.{COUNT_OF[s]}, 0) "
        f"ELSE gs.l{s} END AS y{s}"
        for s in SHORT.values()
    )


def _last_columns(vendor: str) -> str:
    if vendor == "postgresql":
        return ",\n    ".join(
            LAST_POSTGRESQL.format(i=i + 2, short=short) for i, short in enumerate(SHORT.values())
        )
    return ",\n    ".join(
        LAST_SQLITE.format(column=column, short=short) for column, short in SHORT.items()
    )


def _partial_sums(scope: Scope, params: dict) -> str:
    """Steps 1 to 4 (the CTEs up to `base`) for this scope."""
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    mode = "clusters" if scope.clusters else "totals"

    def only(column: str) -> str:
        return _in(column, scope.cluster_ids, "c", params)

    groups, read = "SELECT * FROM cga", only("r.cluster_id")
    if scope.groups_of is not None:
        # every cluster's group is worked out, then only the groups of these clusters kept,
        # and only their clusters' values read
        groups = (
            "SELECT a.* FROM cga a WHERE EXISTS (SELECT 1 FROM cga b WHERE "
            + _in("b.cluster_id", scope.groups_of, "g", params)
            + " AND b.period_id = a.period_id AND b.gid = a.gid)"
        )
        read = "r.cluster_id IN (SELECT cluster_id FROM cg)"
    aggregates = PARTIALS + ",\n    " + _last_columns(vendor)
    source = SOURCE.format(rank=RANK_SQLITE if vendor == "sqlite" else "", source_clusters=read)
    grouped = (GROUPED_POSTGRESQL if vendor == "postgresql" else GROUPED_SQLITE).format(
        source=source, aggregates=aggregates
    )
    return PARTIAL_SUMS.format(
        periods=_in("id", scope.period_ids, "p", params),
        kpis=_in("id", scope.kpi_ids, "k", params),
        enrolment_clusters=only("e.cluster_id"),
        scorecard_clusters=only("cs.cluster_id"),
        program_set=SET_OF[vendor].format(column="program_id"),
        template_set=SET_OF[vendor].format(column="template_id"),
        group_of=GROUP_OF[mode],
        clusters=only("c.id"),
        groups=groups,
        grouped=grouped,
        year_values=_year_values(),
        derive_targets="1 = 1" if mode == "totals" else "1 = 0",
    )


def _params() -> dict:
    return {"true": True, "false": False, "now": timezone.now()}


def statement(scope: Scope) -> tuple[str, dict]:
    """The SELECT of cluster rows (COLUMNS) for this scope (`clusters`), and its parameters."""
    assert scope.clusters, "totals are added up from stored partial sums (totals_statement)"
    params = _params()
    sql = _partial_sums(scope, params) + TOTALS.format(
        units=UNITS["clusters"],
        baseline=BASELINE,
        baseline_join=BASELINE_JOIN,
        level_code=LEVEL_CODE,
        level_name=LEVEL_NAME,
    )
    return sql, params


def partials_insert_statement(scope: Scope) -> tuple[str, dict]:
    """INSERT INTO monitoring_rolluppartial the partial sums of the scope's groups."""
    params = _params()
    sql = _partial_sums(scope, params) + STORED_PARTIALS
    return _insert("monitoring_rolluppartial", PARTIAL_COLUMNS, sql), params


def partials_replace_statement(scope: Scope) -> tuple[str, dict]:
    """Replace the stored partial sums of the groups of `scope.groups_of` (PostgreSQL): one
    statement deletes the old rows of the groups it sums and inserts the new ones."""
    assert scope.groups_of is not None
    params = _params()
    kpis = "1 = 1" if scope.kpi_ids is None else "d.kpi_id IN (SELECT id FROM kp)"
    sql = (
        _partial_sums(scope, params)
        + GONE.format(kpis=kpis)
        + _insert("monitoring_rolluppartial", PARTIAL_COLUMNS, STORED_PARTIALS)
    )
    return sql, params


def totals_insert_statement(scope: Scope) -> tuple[str, dict]:
    """INSERT INTO monitoring_rollup the total rows of the scope's periods and KPIs, added up
    from the stored partial sums."""
    params = _params()
    sql = STORED_BASE.format(
        periods=_in("id", scope.period_ids, "p", params),
        kpis=_in("id", scope.kpi_ids, "k", params),
        partial_periods=_in("period_id", scope.period_ids, "p", params),
        partial_kpis=_in("kpi_id", scope.kpi_ids, "k", params),
    ) + TOTALS.format(
        units=UNITS["totals"],
        baseline="NULL",
        baseline_join="",
        level_code=LEVEL_CODE,
        level_name=LEVEL_NAME,
    )
    return _insert("monitoring_rollup", COLUMNS, sql), params


def _insert(table: str, columns: list[str], sql: str) -> str:
    # INSERT first, then the WITH: both databases accept it, and Python's sqlite3 reports
    # the row count only for statements that start with INSERT.
    return f"INSERT INTO {table} ({', '.join(columns)})\n{sql}"
