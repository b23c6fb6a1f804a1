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
2. `cv`, `cy`: one row per cluster, KPI and year with its year's values side by side (the
   year's own report, then the four quarters), read once through the approved reports' ids
   (rule 1); beside them the cluster's groups in the year and its quarters, and its year
   value: an annual KPI's own, a quarterly KPI's from its quarters by the time aggregation
   (sum, mean or last, numerators and denominators apart), and whether all four are in.
3. `ga`, `pt`: the cluster years added up by KPI and alike groups, slot by slot (count, sum,
   min, max, numerators, denominators, women, men, yes answers); then each slot in its
   period and group: the partial sums. Every aggregation is built from these, exactly (a
   mean is sum/count, a ratio sum of numerators over sum of denominators, never a mean of
   percentages).
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

Steps 2 and 3 are built in monitoring.rollups.sql.slots, steps 5 and 6 in
monitoring.rollups.sql.totals; this module puts the statements together.

Cluster-level rows (`statement`, `Scope.clusters`) go through steps 1 to 6 in one statement,
each cluster its own group and its own unit, with its own target and baseline. They are not
stored (they would copy every approved value): pages and the API compute them on read, for
the clusters they show, with the very same rules.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from monitoring.rollups.sql import slots
from monitoring.rollups.sql.totals import (
    BASELINE,
    BASELINE_JOIN,
    COLUMNS,
    LEVEL_CODE,
    LEVEL_NAME,
    STORED_BASE,
    TOTALS,
    UNITS,
)

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
    SELECT id, year, quarter FROM scorecards_period WHERE year IN (SELECT year FROM per)
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
cgy AS (
    SELECT cg.cluster_id, p.year, {groups_of_slots}
    FROM cg JOIN per p ON p.id = cg.period_id
    GROUP BY cg.cluster_id, p.year
),
rs AS (
    SELECT r.id, r.cluster_id, sp.year, sp.quarter
    FROM monitoring_report r JOIN sper sp ON sp.id = r.period_id
    WHERE r.state = 'approved' AND {source_clusters}
),
-- (The KPIs, and which of them to recompute, are joined after step 2a: joined or filtered
-- there, they lead PostgreSQL's planner to read the values KPI by KPI through an index.)
{slots}
-- (materialized: each year value is worked out once, not once for each sum that reads it)
cy AS MATERIALIZED ({cluster_years}),
-- step 3a: the cluster years of alike groups, added up slot by slot (a few per KPI and year
-- where clusters keep their group all year)
ga AS (
    SELECT cy.kpi_id, cy.year, cy.g0, cy.g1, cy.g2, cy.g3, cy.g4,
    {slot_partials}
    FROM cy GROUP BY cy.kpi_id, cy.year, cy.g0, cy.g1, cy.g2, cy.g3, cy.g4
),
-- step 3b: each slot in its period, beside its group; a KPI's values come from reports of its
-- own frequency, a quarterly KPI's year from its quarters
pt AS (
    SELECT kpi_id, period_id, gid, {sums}
    FROM (
        SELECT ga.kpi_id, p.id AS period_id, {unpivot}
        FROM ga
        JOIN kp ON kp.id = ga.kpi_id
        JOIN per p ON p.year = ga.year
        WHERE p.kind = 'year' OR kp.source_kind = 'quarter'
    ) u
    WHERE gid IS NOT NULL
    GROUP BY kpi_id, period_id, gid
    HAVING SUM(nr) > 0  -- a slot no cluster of the group reported in is no partial sum
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
        source_clusters=read,
        **slots.parts(vendor),
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
