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

# A value's columns, and their short names in the statement.
SHORT = {"value": "v", "numerator": "n", "denominator": "d", "value_women": "w", "value_men": "m"}
QUARTERS = (1, 2, 3, 4)
SLOTS = (0, *QUARTERS)  # a year's own report (annual KPIs: quarter 0), then its quarters


def _bit(quarter: int) -> int:
    return 1 << quarter


# Step 2a: one row per cluster, KPI and year, its year's values side by side: q0_v (the year's
# own report), q1_v ... q4_v (its quarters), and so on for every column, and `mask`, the
# slots holding a value (bit 1 << quarter). One report per cluster and period, one value per
# report and KPI: each slot's values (`s0` ... `s4`) are joined on cluster, KPI and year (a
# FULL JOIN: a cluster may skip any of them). Joined, not grouped: five hash joins cost less
# than two dozen aggregates over every value.
SLOT_VALUES = """
s{q} AS (
    SELECT rs.cluster_id, m.kpi_id, rs.year, {columns}
    FROM monitoring_measurement m JOIN rs ON rs.id = m.report_id
    WHERE rs.quarter = {q} AND {values_of_reports}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),"""
# The approved reports of a slot; their values are found through the index of their ids
# (PostgreSQL: `= ANY(ARRAY(...))`, which needs no nested loop; SQLite: IN).
VALUES_OF_REPORTS = {
    "postgresql": "m.report_id = ANY(ARRAY(SELECT id FROM rs WHERE quarter = {q}))",
    "sqlite": "m.report_id IN (SELECT id FROM rs WHERE quarter = {q})",
}
KEY = ("cluster_id", "kpi_id", "year")


def _slots_side_by_side(vendor: str) -> str:
    """The CTEs s0 ... s4 and `cv`, their values side by side (step 2a)."""
    slots = "".join(
        SLOT_VALUES.format(
            q=q,
            columns=", ".join(f"m.{column} AS q{q}_{short}" for column, short in SHORT.items()),
            values_of_reports=VALUES_OF_REPORTS[vendor].format(q=q),
        )
        for q in SLOTS
    )
    order = [*QUARTERS, 0]

    def key(column: str, joined: list[int]) -> str:
        names = [f"s{q}.{column}" for q in joined]
        return names[0] if len(names) == 1 else f"COALESCE({', '.join(names)})"

    joins = f"s{order[0]}"
    for i, q in enumerate(order[1:], start=1):
        on = " AND ".join(f"s{q}.{column} = {key(column, order[:i])}" for column in KEY)
        joins += f"\n    FULL JOIN s{q} ON {on}"
    mask = " + ".join(f"CASE WHEN s{q}.kpi_id IS NULL THEN 0 ELSE {_bit(q)} END" for q in SLOTS)
    values = ", ".join(f"q{q}_{short}" for q in SLOTS for short in SHORT.values())
    keys = ", ".join(f"{key(column, order)} AS {column}" for column in KEY)
    return f"{slots}\ncv AS (\n    SELECT {keys}, {mask} AS mask, {values}\n    FROM {joins}\n),"


def _year_value(short: str) -> str:
    """A cluster's year value of one column (step 2b): an annual KPI's own; a quarterly KPI's
    from its quarters by the time aggregation (sum, mean of those given, or the latest
    approved quarter's)."""
    quarters = [f"v.q{q}_{short}" for q in QUARTERS]
    total = "CASE WHEN {} THEN NULL ELSE {} END".format(
        " AND ".join(f"{c} IS NULL" for c in quarters),
        " + ".join(f"COALESCE({c}, 0)" for c in quarters),
    )
    given = " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in quarters)
    last = " ".join(f"WHEN v.mask & {_bit(q)} <> 0 THEN v.q{q}_{short}" for q in reversed(QUARTERS))
    return (
        f"CASE WHEN kp.source_kind = 'year' THEN v.q0_{short} "
        f"WHEN kp.time_aggregation = 'sum' THEN {total} "
        f"WHEN kp.time_aggregation = 'mean' THEN ({total}) * 1.0 / NULLIF({given}, 0) "
        f"ELSE CASE {last} END END AS qy_{short}"
    )


QUARTER_MASK = sum(_bit(q) for q in QUARTERS)
# Step 2b: each cluster year beside its groups (g0: the year's, g1-g4: the quarters'), with
# its year value, whether it counts in the year (qy_r) and whether all four quarters are in.
CLUSTER_YEARS = """
    SELECT v.*, g.g0, g.g1, g.g2, g.g3, g.g4, {year_values},
           CASE WHEN kp.source_kind = 'year' THEN v.mask & 1
                WHEN v.mask & {quarters} <> 0 THEN 1 ELSE 0 END AS qy_r,
           CASE WHEN kp.source_kind = 'year' THEN v.mask & 1
                WHEN v.mask & {quarters} = {quarters} THEN 1 ELSE 0 END AS qy_c
    FROM cv v
    JOIN kp ON kp.id = v.kpi_id
    JOIN cgy g ON g.cluster_id = v.cluster_id AND g.year = v.year"""

# The partial sums of one slot (a quarter, or the year: "y") over the cluster years of `cy`.
MEASURES = ["nr", "sv", "cv", "mnv", "mxv", "sn", "sd", "sw", "sm", "yes", "complete"]


def _slot_partials(slot) -> str:
    q = f"cy.q{slot}_"
    reporting = f"SUM({q}r)" if slot == "y" else f"SUM(cy.mask & {_bit(slot)}) / {_bit(slot)}"
    complete = f"SUM({q}c)" if slot == "y" else reporting
    return ", ".join(
        [
            f"{reporting} AS a{slot}_nr",
            f"SUM({q}v) AS a{slot}_sv",
            f"COUNT({q}v) AS a{slot}_cv",
            f"MIN({q}v) AS a{slot}_mnv",
            f"MAX({q}v) AS a{slot}_mxv",
            f"SUM({q}n) AS a{slot}_sn",
            f"SUM({q}d) AS a{slot}_sd",
            f"SUM({q}w) AS a{slot}_sw",
            f"SUM({q}m) AS a{slot}_sm",
            f"SUM(CASE WHEN {q}v = 1 THEN 1 ELSE 0 END) AS a{slot}_yes",
            f"{complete} AS a{slot}_complete",
        ]
    )


def _unpivot(measure: str) -> str:
    """A slot's partial sum (or its group) in the row of its period: quarter 0 is the year."""

    def column(q: int) -> str:
        if measure == "gid":
            return f"ga.g{q}"
        return f"ga.a{'y' if q == 0 else q}_{measure}"

    slots = " ".join(f"WHEN {q} THEN {column(q)}" for q in SLOTS)
    return f"CASE p.quarter {slots} END AS {measure}"


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
        groups_of_slots=", ".join(
            f"MAX(CASE WHEN p.quarter = {q} THEN cg.gid END) AS g{q}" for q in SLOTS
        ),
        source_clusters=read,
        slots=_slots_side_by_side(vendor),
        cluster_years=CLUSTER_YEARS.format(
            year_values=", ".join(_year_value(short) for short in SHORT.values()),
            quarters=QUARTER_MASK,
        ),
        slot_partials=",\n    ".join(_slot_partials(slot) for slot in ("y", *QUARTERS)),
        unpivot=", ".join(_unpivot(measure) for measure in ["gid", *MEASURES]),
        sums=", ".join(
            f"{'MIN' if m == 'mnv' else 'MAX' if m == 'mxv' else 'SUM'}({m}) AS {m}"
            for m in MEASURES
        ),
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
