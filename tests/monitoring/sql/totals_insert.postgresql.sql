INSERT INTO monitoring_rollup (kpi_id, period_id, level, unit_id, value, numerator, denominator, value_women, value_men, target, target_derived, baseline, clusters_reporting, clusters_complete, clusters_expected, computed_at)
WITH
-- step 0: the periods and KPIs the statement covers
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE id IN (%(p0)s, %(p1)s, %(p2)s, %(p3)s, %(p4)s)
),
kpis AS (
    SELECT id, aggregation, time_aggregation, frequency, scale,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind
    FROM scorecards_kpi WHERE cluster_id IS NULL AND 1 = 1
),

-- the stored partial sums: step 4's rows, a group named by its leader
partial_sums AS (
    SELECT kpi_id, period_id, leader_id AS group_id, reporting, expected, complete,
           value_sum, value_count, value_min, value_max, numerator_sum, denominator_sum,
           women_sum, men_sum, yes, derived_target
    FROM monitoring_rolluppartial
    WHERE period_id IN (%(p0)s, %(p1)s, %(p2)s, %(p3)s, %(p4)s) AND 1 = 1
),
partial_groups AS (SELECT DISTINCT period_id, group_id FROM partial_sums),

-- step 5: the partial sums of the groups under each unit, added up
group_units AS (
    SELECT g.period_id, g.group_id, 1 AS level, c.country_id AS unit_id
    FROM partial_groups g JOIN clusters_cluster c ON c.id = g.group_id
    UNION ALL
    SELECT g.period_id, g.group_id, 2, rc.region_id
    FROM partial_groups g JOIN clusters_cluster c ON c.id = g.group_id
    JOIN clusters_region_countries rc ON rc.country_id = c.country_id
    UNION ALL
    SELECT DISTINCT g.period_id, g.group_id, 3, e.program_id
    FROM partial_groups g JOIN periods p ON p.id = g.period_id
    JOIN programs_enrolment e ON e.cluster_id = g.group_id AND e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    UNION ALL
    SELECT period_id, group_id, 4, 0 FROM partial_groups
),
unit_sums AS (
    SELECT u.level, u.unit_id, s.kpi_id, s.period_id,
           SUM(s.reporting) AS reporting, SUM(s.value_sum) AS value_sum,
           SUM(s.value_count) AS value_count, MIN(s.value_min) AS value_min,
           MAX(s.value_max) AS value_max, SUM(s.numerator_sum) AS numerator_sum,
           SUM(s.denominator_sum) AS denominator_sum, SUM(s.women_sum) AS women_sum,
           SUM(s.men_sum) AS men_sum, SUM(s.yes) AS yes, SUM(s.complete) AS complete,
           SUM(s.expected) AS expected, SUM(s.derived_target) AS derived_target
    FROM partial_sums s JOIN group_units u ON u.period_id = s.period_id AND u.group_id = s.group_id
    GROUP BY u.level, u.unit_id, s.kpi_id, s.period_id
),

-- step 6: each unit's total beside its targets, the KPI's aggregation applied
unit_targets AS (
    SELECT CASE t.level WHEN 'cluster' THEN 0 WHEN 'country' THEN 1 WHEN 'region' THEN 2 WHEN 'program' THEN 3 WHEN 'global' THEN 4 END AS level,
           COALESCE(t.cluster_id, t.country_id, t.region_id, t.program_id, 0) AS unit_id,
           t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    WHERE t.kpi_id IN (SELECT id FROM kpis) AND t.period_id IN (SELECT id FROM periods)
      AND t.level <> 'cluster'
),
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
)
SELECT total.kpi_id, total.period_id, CASE total.level WHEN 0 THEN 'cluster' WHEN 1 THEN 'country' WHEN 2 THEN 'region' WHEN 3 THEN 'program' WHEN 4 THEN 'global' END AS level, total.unit_id,
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
       NULL AS baseline,
       total.reporting AS clusters_reporting,
       CASE WHEN p.kind = 'year' AND k.frequency = 'quarterly' THEN total.complete END
           AS clusters_complete,
       total.expected AS clusters_expected, %(now)s AS computed_at
FROM unit_totals total
JOIN kpis k ON k.id = total.kpi_id
JOIN periods p ON p.id = total.period_id
