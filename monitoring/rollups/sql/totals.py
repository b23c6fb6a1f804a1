"""The rollup statements' steps 5 and 6 (see monitoring.rollups.sql.statement): the partial sums of
the
groups under each unit added up, the KPI's aggregation applied, beside the targets.

Two sources feed them: the stored partial sums of the groups (totals: `STORED_BASE`, each
group in the units of its leader), or the partial sums of one statement where each cluster is
its own group (cluster rows: `statement.statement`). SQL text only; monitoring.rollups.sql.statement
builds the statements.
"""

# Step 5 from stored partial sums: a group is in the units of its leader.
STORED_BASE = """
WITH
per AS (SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE {periods}),
kp AS (
    SELECT id, aggregation, time_aggregation, frequency, scale
    FROM scorecards_kpi WHERE cluster_id IS NULL AND {kpis}
),
base AS (
    SELECT kpi_id, period_id, leader_id AS gid, reporting AS nr, expected AS nx, complete,
           value_sum AS sv, value_count AS cv, value_min AS mnv, value_max AS mxv,
           numerator_sum AS sn, denominator_sum AS sd, women_sum AS sw, men_sum AS sm, yes,
           derived_target AS dtv
    FROM monitoring_rolluppartial
    WHERE {partial_periods} AND {partial_kpis}
),
ld AS (SELECT DISTINCT period_id, gid FROM base)"""

UNITS = {
    "totals": """
        SELECT l.period_id, l.gid, 1 AS level, c.country_id AS unit_id
        FROM ld l JOIN clusters_cluster c ON c.id = l.gid
        UNION ALL
        SELECT l.period_id, l.gid, 2, rc.region_id
        FROM ld l JOIN clusters_cluster c ON c.id = l.gid
        JOIN clusters_region_countries rc ON rc.country_id = c.country_id
        UNION ALL
        SELECT DISTINCT l.period_id, l.gid, 3, e.program_id
        FROM ld l JOIN per p ON p.id = l.period_id
        JOIN programs_enrolment e ON e.cluster_id = l.gid AND e.enrolled_from <= p.ends_on
            AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
        UNION ALL
        SELECT period_id, gid, 4, 0 FROM ld""",
    "clusters": "SELECT DISTINCT period_id, gid, 0 AS level, gid AS unit_id FROM cg",
}

# Levels by number while the totals are added up (sorting and hashing words costs more), by
# name in the rows.
LEVELS = ["cluster", "country", "region", "program", "global"]
LEVEL_CODE = "CASE t.level {} END".format(
    " ".join(f"WHEN '{name}' THEN {code}" for code, name in enumerate(LEVELS))
)
LEVEL_NAME = "CASE a.level {} END".format(
    " ".join(f"WHEN {code} THEN '{name}'" for code, name in enumerate(LEVELS))
)

# Steps 5 and 6: the partial sums of the groups under each unit, added up, beside targets.
TOTALS = """,
gu AS ({units}),
agg AS (
    SELECT u.level, u.unit_id, b.kpi_id, b.period_id, SUM(b.nr) AS reporting,
           SUM(b.sv) AS sv, SUM(b.cv) AS cv, MIN(b.mnv) AS mnv, MAX(b.mxv) AS mxv,
           SUM(b.sn) AS sn, SUM(b.sd) AS sd, SUM(b.sw) AS sw, SUM(b.sm) AS sm,
           SUM(b.yes) AS yes, SUM(b.complete) AS complete, SUM(b.nx) AS expected,
           SUM(b.dtv) AS derived
    FROM base b JOIN gu u ON u.period_id = b.period_id AND u.gid = b.gid
    GROUP BY u.level, u.unit_id, b.kpi_id, b.period_id
),
tgt AS (
    SELECT {level_code} AS level,
           COALESCE(t.cluster_id, t.country_id, t.region_id, t.program_id, 0) AS unit_id,
           t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    WHERE t.kpi_id IN (SELECT id FROM kp) AND t.period_id IN (SELECT id FROM per)
),
-- each total beside its targets: grouped together rather than joined, which keeps the
-- planner from a nested loop over CTEs it cannot size
tot AS (
    SELECT level, unit_id, kpi_id, period_id, MAX(reporting) AS reporting, MAX(sv) AS sv,
           MAX(cv) AS cv, MAX(mnv) AS mnv, MAX(mxv) AS mxv, MAX(sn) AS sn, MAX(sd) AS sd,
           MAX(sw) AS sw, MAX(sm) AS sm, MAX(yes) AS yes, MAX(complete) AS complete,
           MAX(expected) AS expected, MAX(target) AS target, MAX(derived) AS derived
    FROM (
        SELECT level, unit_id, kpi_id, period_id, reporting, sv, cv, mnv, mxv, sn, sd, sw, sm,
               yes, complete, expected, CAST(NULL AS NUMERIC) AS target, derived
        FROM agg
        UNION ALL
        SELECT level, unit_id, kpi_id, period_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, value, NULL
        FROM tgt
    ) rows_and_targets
    GROUP BY level, unit_id, kpi_id, period_id
    HAVING MAX(expected) IS NOT NULL
)
SELECT a.kpi_id, a.period_id, {level_name} AS level, a.unit_id,
       CASE kp.aggregation
           WHEN 'sum' THEN a.sv
           WHEN 'mean' THEN a.sv * 1.0 / NULLIF(a.cv, 0)
           WHEN 'min' THEN a.mnv
           WHEN 'max' THEN a.mxv
           WHEN 'ratio' THEN CASE WHEN a.sd > 0 THEN a.sn * kp.scale * 1.0 / a.sd END
           WHEN 'share_yes' THEN CASE WHEN a.reporting > 0 THEN a.yes * 1.0 / a.reporting END
       END AS value,
       a.sn AS numerator, a.sd AS denominator, a.sw AS value_women, a.sm AS value_men,
       COALESCE(a.target, a.derived) AS target,
       CASE WHEN a.target IS NULL AND a.derived IS NOT NULL THEN %(true)s ELSE %(false)s END
           AS target_derived,
       {baseline} AS baseline,
       a.reporting AS clusters_reporting,
       CASE WHEN p.kind = 'year' AND kp.frequency = 'quarterly' THEN a.complete END
           AS clusters_complete,
       a.expected AS clusters_expected, %(now)s AS computed_at
FROM tot a
JOIN kp ON kp.id = a.kpi_id
JOIN per p ON p.id = a.period_id
{baseline_join}
"""

BASELINE = (
    "CASE WHEN kp.aggregation = 'ratio' THEN CASE WHEN bl.denominator > 0 "
    "THEN bl.numerator * kp.scale * 1.0 / bl.denominator END ELSE bl.value END"
)
BASELINE_JOIN = (
    "LEFT JOIN scorecards_baseline bl ON bl.kpi_id = a.kpi_id AND bl.cluster_id = a.unit_id"
)

COLUMNS = [
    "kpi_id",
    "period_id",
    "level",
    "unit_id",
    "value",
    "numerator",
    "denominator",
    "value_women",
    "value_men",
    "target",
    "target_derived",
    "baseline",
    "clusters_reporting",
    "clusters_complete",
    "clusters_expected",
    "computed_at",
]
