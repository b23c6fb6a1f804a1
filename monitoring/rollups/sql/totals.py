"""Step 6 of the rollup statements: each unit's total beside its targets, the KPI's aggregation
applied: the rows of monitoring_rollup (`COLUMNS`).

Every aggregation is built from the partial sums, exactly: a sum is the sum, a mean sum /
count, min and max the least and greatest, a ratio the sum of numerators over the sum of
denominators times the KPI's scale (never a mean of percentages), share_yes the clusters
answering yes over those reporting. A target set at the level wins; where there is none, a
sum KPI takes the targets of its clusters (`derived_target`) and says so (rule 6). A cluster
row carries its baseline; a total carries none.

Input CTEs: `unit_sums`, `kpis`, `periods`. Rows and columns:

- `unit_targets`: the targets set at any level for these KPIs and periods (level as a
  number, unit_id: 0 for the global total, kpi_id, period_id, value);
- `unit_totals`: one row per unit, KPI and period that has clusters expected (the columns of
  `unit_sums`, and target);
- the final SELECT: the rollup rows (`COLUMNS`), with `%(true)s`, `%(false)s` and `%(now)s`
  as parameters.
"""

# the heading of its CTEs in the assembled statement
STEP = "step 6: each unit's total beside its targets, the KPI's aggregation applied"

# Levels by number while the totals are added up (monitoring.rollups.sql.units), by name in
# the rows.
LEVELS = ["cluster", "country", "region", "program", "global"]
LEVEL_NUMBER = "CASE t.level {} END".format(
    " ".join(f"WHEN '{name}' THEN {number}" for number, name in enumerate(LEVELS))
)
LEVEL_NAME = "CASE total.level {} END".format(
    " ".join(f"WHEN {number} THEN '{name}'" for number, name in enumerate(LEVELS))
)

UNIT_TARGETS = """\
unit_targets AS (
    SELECT {level_number} AS level,
           COALESCE(t.cluster_id, t.country_id, t.region_id, t.program_id, 0) AS unit_id,
           t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    WHERE t.kpi_id IN (SELECT id FROM kpis) AND t.period_id IN (SELECT id FROM periods)
      AND {targets}
)"""

UNIT_TOTALS = """\
-- each total beside its targets: grouped together rather than joined, which keeps the
-- planner from a nested loop over CTEs it cannot size
unit_totals AS (
    SELECT level, unit_id, kpi_id, period_id,
           MAX(reporting) AS reporting, MAX(value_sum) AS value_sum,
           MAX(value_count) AS value_count, MAX(value_min) AS value_min,
           MAX(value_max) AS value_max, MAX(numerator_sum) AS numerator_sum,
           MAX(denominator_sum) AS denominator_sum, MAX(women_sum) AS women_sum,
           MAX(men_sum) AS men_sum, MAX(yes) AS yes, MAX(complete) AS complete,
           MAX(expected) AS expected, MAX(target) AS target,
           MAX(derived_target) AS derived_target
    FROM (
        SELECT level, unit_id, kpi_id, period_id, reporting, value_sum, value_count,
               value_min, value_max, numerator_sum, denominator_sum, women_sum, men_sum, yes,
               complete, expected, CAST(NULL AS NUMERIC) AS target, derived_target
        FROM unit_sums
        UNION ALL
        SELECT level, unit_id, kpi_id, period_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, value, NULL
        FROM unit_targets
    ) sums_and_targets
    GROUP BY level, unit_id, kpi_id, period_id
    HAVING MAX(expected) IS NOT NULL
)"""

ROWS = """\
SELECT total.kpi_id, total.period_id, {level_name} AS level, total.unit_id,
       CASE k.aggregation
           WHEN 'sum' THEN total.value_sum
           WHEN 'mean' THEN total.value_sum * 1.0 / NULLIF(total.value_count, 0)
           WHEN 'min' THEN total.value_min
           WHEN 'max' THEN total.value_max
           WHEN 'ratio' THEN CASE WHEN total.denominator_sum > 0
               THEN total.numerator_sum * k.scale * 1.0 / total.denominator_sum END
           WHEN 'share_yes' THEN CASE WHEN total.reporting > 0
               THEN total.yes * 1.0 / total.reporting END
       END AS value,
       total.numerator_sum AS numerator, total.denominator_sum AS denominator,
       total.women_sum AS value_women, total.men_sum AS value_men,
       COALESCE(total.target, total.derived_target) AS target,
       CASE WHEN total.target IS NULL AND total.derived_target IS NOT NULL
           THEN %(true)s ELSE %(false)s END AS target_derived,
       {baseline} AS baseline,
       total.reporting AS clusters_reporting,
       CASE WHEN p.kind = 'year' AND k.frequency = 'quarterly' THEN total.complete END
           AS clusters_complete,
       total.expected AS clusters_expected, %(now)s AS computed_at
FROM unit_totals total
JOIN kpis k ON k.id = total.kpi_id
JOIN periods p ON p.id = total.period_id{baseline_join}"""

# A cluster row's baseline: the cluster's own (a ratio's as the KPI's ratio).
BASELINE = (
    "CASE WHEN k.aggregation = 'ratio' THEN CASE WHEN b.denominator > 0 "
    "THEN b.numerator * k.scale * 1.0 / b.denominator END ELSE b.value END"
)
BASELINE_JOIN = """
LEFT JOIN (SELECT * FROM scorecards_baseline WHERE {clusters}) b
    ON b.kpi_id = total.kpi_id AND b.cluster_id = total.unit_id"""

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


# The targets a statement reads: the totals', of every level above the cluster.
TOTALS_TARGETS = "t.level <> 'cluster'"


def ctes(*, targets: str = TOTALS_TARGETS) -> list[str]:
    """Step 6's CTEs; `targets` is a condition on the targets read (scorecards_target t)."""
    return [UNIT_TARGETS.format(level_number=LEVEL_NUMBER, targets=targets), UNIT_TOTALS]


def rows(*, baselines_of: str | None = None) -> str:
    """The final SELECT; cluster rows carry their cluster's baseline, read of the clusters
    `baselines_of` allows (a condition on scorecard_baseline's cluster_id; None: totals)."""
    return ROWS.format(
        level_name=LEVEL_NAME,
        baseline="NULL" if baselines_of is None else BASELINE,
        baseline_join="" if baselines_of is None else BASELINE_JOIN.format(clusters=baselines_of),
    )
