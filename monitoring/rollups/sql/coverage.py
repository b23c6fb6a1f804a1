"""Step 4 of the rollup statements: each group's partial sums with its coverage and targets.

Coverage (rule 4): a group expects a KPI when its clusters are active and a template in force
holds it (quarterly KPIs in quarters and years, annual ones in years); then all its clusters
are in the base. A group that is not expected to report counts only the clusters that did (a
cluster that reports unasked is in the base as well). For sum KPIs, the targets of the
group's clusters in the base add up to rule 6's derived target. (Cluster rows take
`expected_kpis` and `expected_clusters` alone: monitoring.rollups.sql.cluster_sums.)

Input CTEs: `period_sums`, `cluster_groups`, `cluster_templates`, `template_kpis`, `kpis`,
`periods`. Rows and columns of its CTEs:

- `expected_kpis`: the KPIs each group is expected to report in a period (period_id,
  group_id, kpi_id);
- `expected_clusters`: how many clusters each of these groups has (kpi_id, period_id,
  group_id, clusters);
- `cluster_targets`: the targets of sum KPIs set for the clusters in the base (group_id,
  kpi_id, period_id, value);
- `partial_sums`: one row per KPI, period and group that reported or was expected to
  (kpi_id, period_id, group_id, the partial sums of monitoring.rollups.sql.group_sums.MEASURES,
  expected: the clusters in the base, derived_target: its clusters' targets, or NULL). The
  columns of monitoring_rolluppartial, but for group_id (the table names a group by its leader).
"""

# the heading of its CTEs in the assembled statement
STEP = "step 4: each group's partial sums with its coverage and targets"

EXPECTED = """\
expected_kpis AS (
    SELECT DISTINCT g.period_id, g.group_id, held.kpi_id
    FROM (SELECT DISTINCT cg.period_id, cg.group_id, ct.template_id
          FROM cluster_groups cg
          JOIN cluster_templates ct ON ct.cluster_id = cg.cluster_id AND ct.period_id = cg.period_id
          WHERE cg.active = 1) g
    JOIN template_kpis held ON held.template_id = g.template_id
    JOIN kpis k ON k.id = held.kpi_id
    JOIN periods p ON p.id = g.period_id
    WHERE p.kind = 'year' OR k.frequency = 'quarterly'
),
expected_clusters AS (
    SELECT e.kpi_id, e.period_id, e.group_id, sizes.clusters
    FROM expected_kpis e
    JOIN (SELECT period_id, group_id, COUNT(*) AS clusters
          FROM cluster_groups GROUP BY period_id, group_id) sizes
        ON sizes.period_id = e.period_id AND sizes.group_id = e.group_id
)"""

CLUSTER_TARGETS = """\
cluster_targets AS (
    SELECT g.group_id, t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    JOIN kpis k ON k.id = t.kpi_id AND k.aggregation = 'sum'
    JOIN periods p ON p.id = t.period_id
    JOIN cluster_groups g ON g.cluster_id = t.cluster_id AND g.period_id = t.period_id
    WHERE t.level = 'cluster' AND (
        EXISTS (
            SELECT 1 FROM expected_kpis e
            WHERE e.period_id = t.period_id AND e.group_id = g.group_id AND e.kpi_id = t.kpi_id
        ) OR EXISTS (
            SELECT 1 FROM monitoring_report r
            JOIN scorecards_period sp ON sp.id = r.period_id
            JOIN monitoring_measurement m ON m.report_id = r.id AND m.kpi_id = t.kpi_id
            WHERE r.cluster_id = t.cluster_id AND r.state = 'approved'
              AND sp.kind = k.source_kind
              AND (sp.id = t.period_id OR (p.kind = 'year' AND sp.year = p.year))
              AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
        )
    )
)"""

PARTIAL_SUMS = """\
partial_sums AS (
    -- a group expected to report counts all its clusters; one that is not, only those that
    -- reported; and the targets of its clusters, for sum KPIs (rule 6)
    SELECT kpi_id, period_id, group_id,
           SUM(reporting) AS reporting, SUM(value_sum) AS value_sum,
           SUM(value_count) AS value_count, MIN(value_min) AS value_min,
           MAX(value_max) AS value_max, SUM(numerator_sum) AS numerator_sum,
           SUM(denominator_sum) AS denominator_sum, SUM(women_sum) AS women_sum,
           SUM(men_sum) AS men_sum, SUM(yes) AS yes, SUM(complete) AS complete,
           CASE WHEN MAX(is_expected) = 1 THEN SUM(clusters_expected) ELSE SUM(reporting) END
               AS expected,
           SUM(derived_target) AS derived_target
    FROM (
        SELECT kpi_id, period_id, group_id, reporting, value_sum, value_count, value_min,
               value_max, numerator_sum, denominator_sum, women_sum, men_sum, yes, complete,
               0 AS is_expected, 0 AS clusters_expected,
               CAST(NULL AS NUMERIC) AS derived_target, 1 AS counted
        FROM period_sums
        UNION ALL
        SELECT kpi_id, period_id, group_id, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0,
               1, clusters, NULL, 1
        FROM expected_clusters
        UNION ALL
        SELECT kpi_id, period_id, group_id, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0,
               0, 0, value, 0
        FROM cluster_targets
    ) sums_coverage_and_targets
    GROUP BY kpi_id, period_id, group_id
    HAVING MAX(counted) = 1
)"""


def ctes() -> list[str]:
    """Step 4's CTEs."""
    return [EXPECTED, CLUSTER_TARGETS, PARTIAL_SUMS]
