WITH
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE id IN (%(p0)s)
),
periods_of_the_years AS (
    SELECT id, year, quarter FROM scorecards_period WHERE year IN (SELECT year FROM periods)
),
split_kpis AS (
    SELECT id, time_aggregation,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind,
           by_sex, by_age, by_firm_size, by_ownership
    FROM scorecards_kpi
    WHERE cluster_id IS NULL AND 1 = 1
      AND (by_sex = %(true)s OR by_age = %(true)s OR by_firm_size = %(true)s
           OR by_ownership = %(true)s)
),
split_reports AS (
    SELECT r.id, r.cluster_id, p.year, p.quarter
    FROM monitoring_report r JOIN periods_of_the_years p ON p.id = r.period_id
    WHERE r.state = 'approved' AND r.cluster_id IN (%(c0)s, %(c1)s)
),
entered AS (
    SELECT m.id AS measurement_id, r.cluster_id, m.kpi_id, r.year, r.quarter,
           m.value_women, m.value_men
    FROM monitoring_measurement m
    JOIN split_reports r ON r.id = m.report_id
    JOIN split_kpis k ON k.id = m.kpi_id
    WHERE m.report_id IN (SELECT id FROM split_reports)
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
      AND ((k.source_kind = 'year' AND r.quarter = 0)
           OR (k.source_kind = 'quarter' AND r.quarter > 0))
),
parts AS (
    SELECT e.cluster_id, e.kpi_id, e.year, e.quarter, 'sex' AS dimension,
           'women' AS category, e.value_women AS value
    FROM entered e JOIN split_kpis k ON k.id = e.kpi_id
    WHERE k.by_sex = %(true)s AND e.value_women IS NOT NULL
    UNION ALL
    SELECT e.cluster_id, e.kpi_id, e.year, e.quarter, 'sex', 'men', e.value_men
    FROM entered e JOIN split_kpis k ON k.id = e.kpi_id
    WHERE k.by_sex = %(true)s AND e.value_men IS NOT NULL
    UNION ALL
    SELECT e.cluster_id, e.kpi_id, e.year, e.quarter, s.dimension, s.category, s.value
    FROM entered e
    JOIN split_kpis k ON k.id = e.kpi_id
    JOIN monitoring_measurementsplit s ON s.measurement_id = e.measurement_id
    WHERE (s.dimension = 'age' AND k.by_age = %(true)s) OR (s.dimension = 'firm_size' AND k.by_firm_size = %(true)s) OR (s.dimension = 'ownership' AND k.by_ownership = %(true)s)
),
latest_quarters AS (
    SELECT cluster_id, kpi_id, year, MAX(quarter) AS quarter
    FROM entered WHERE quarter > 0
    GROUP BY cluster_id, kpi_id, year
),
cluster_parts AS (
    SELECT period_id, cluster_id, kpi_id, dimension, category, value
    FROM (
        -- a quarter's parts, and the year's own of an annual KPI: as given
        SELECT p.id AS period_id, x.cluster_id, x.kpi_id, x.dimension, x.category, x.value
        FROM parts x JOIN periods p ON p.year = x.year AND p.quarter = x.quarter
        UNION ALL
        -- the year of a quarterly KPI: its quarters' parts, time aggregated
        SELECT p.id, x.cluster_id, x.kpi_id, x.dimension, x.category,
               CASE k.time_aggregation
                   WHEN 'sum' THEN SUM(x.value)
                   WHEN 'mean' THEN SUM(x.value) * 1.0 / COUNT(x.value)
                   ELSE SUM(CASE WHEN x.quarter = l.quarter THEN x.value END)
               END
        FROM parts x
        JOIN split_kpis k ON k.id = x.kpi_id AND k.source_kind = 'quarter'
        JOIN periods p ON p.year = x.year AND p.kind = 'year'
        JOIN latest_quarters l
            ON l.cluster_id = x.cluster_id AND l.kpi_id = x.kpi_id AND l.year = x.year
        GROUP BY p.id, x.cluster_id, x.kpi_id, x.dimension, x.category, k.time_aggregation
    ) formed
    WHERE value IS NOT NULL
),
givers AS (SELECT DISTINCT cluster_id, period_id FROM cluster_parts),
cluster_units AS (
    SELECT cluster_id, period_id, 0 AS level, cluster_id AS unit_id FROM givers
),
unit_parts AS (
    SELECT u.level, u.unit_id, x.kpi_id, x.period_id, x.dimension, x.category,
           SUM(x.value) AS value, COUNT(*) AS clusters
    FROM cluster_parts x
    JOIN cluster_units u ON u.cluster_id = x.cluster_id AND u.period_id = x.period_id
    GROUP BY u.level, u.unit_id, x.kpi_id, x.period_id, x.dimension, x.category
),
unit_dimensions AS (
    SELECT u.level, u.unit_id, x.kpi_id, x.period_id, x.dimension,
           COUNT(DISTINCT x.cluster_id) AS clusters_split
    FROM cluster_parts x
    JOIN cluster_units u ON u.cluster_id = x.cluster_id AND u.period_id = x.period_id
    GROUP BY u.level, u.unit_id, x.kpi_id, x.period_id, x.dimension
)
SELECT total.kpi_id, total.period_id, CASE total.level WHEN 0 THEN 'cluster' WHEN 1 THEN 'country' WHEN 2 THEN 'region' WHEN 3 THEN 'program' WHEN 4 THEN 'global' END AS level, total.unit_id, total.dimension,
       total.category, total.value, total.clusters, d.clusters_split, %(now)s AS computed_at
FROM unit_parts total
JOIN unit_dimensions d ON d.level = total.level AND d.unit_id = total.unit_id
    AND d.kpi_id = total.kpi_id AND d.period_id = total.period_id
    AND d.dimension = total.dimension
