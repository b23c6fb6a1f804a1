WITH
-- step 0: the periods and KPIs the statement covers
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE id IN (%(p0)s, %(p1)s)
),
periods_of_the_years AS (
    SELECT id, year, quarter FROM scorecards_period WHERE year IN (SELECT year FROM periods)
),

-- step 1: each cluster's group in each period
enrolments AS (
    SELECT DISTINCT e.cluster_id, p.id AS period_id, e.program_id
    FROM programs_enrolment e
    JOIN periods p ON e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    WHERE e.cluster_id IN (SELECT alike.id FROM clusters_cluster alike WHERE alike.country_id IN (SELECT changed.country_id FROM clusters_cluster changed WHERE changed.id IN (%(g0)s)))
),
cluster_templates AS (
    SELECT DISTINCT cs.cluster_id, p.id AS period_id, cs.template_id
    FROM scorecards_clusterscorecard cs
    JOIN periods p ON cs.adopted_on <= p.ends_on AND (cs.until IS NULL OR cs.until >= p.ends_on)
    WHERE cs.cluster_id IN (SELECT alike.id FROM clusters_cluster alike WHERE alike.country_id IN (SELECT changed.country_id FROM clusters_cluster changed WHERE changed.id IN (%(g0)s)))
),
program_sets AS (
    SELECT cluster_id, period_id, string_agg(CAST(program_id AS text), ',' ORDER BY program_id) AS programs
    FROM enrolments GROUP BY cluster_id, period_id
),
template_sets AS (
    SELECT cluster_id, period_id, string_agg(CAST(template_id AS text), ',' ORDER BY template_id) AS templates
    FROM cluster_templates GROUP BY cluster_id, period_id
),
every_cluster_group AS (
    SELECT cluster_id, period_id, country_id, active, DENSE_RANK() OVER (ORDER BY country_id, status, programs, templates, batch) AS group_id
    FROM (
        SELECT c.id AS cluster_id, p.id AS period_id, c.country_id, c.status,
               CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS active,
               COALESCE(program_sets.programs, '') AS programs,
               COALESCE(template_sets.templates, '') AS templates,
               (ROW_NUMBER() OVER (
                   PARTITION BY p.id, c.country_id, c.status,
                       program_sets.programs, template_sets.templates
                   ORDER BY c.id
               ) - 1) / 250 AS batch
        FROM clusters_cluster c
        CROSS JOIN periods p
        LEFT JOIN program_sets ON program_sets.cluster_id = c.id AND program_sets.period_id = p.id
        LEFT JOIN template_sets
            ON template_sets.cluster_id = c.id AND template_sets.period_id = p.id
        WHERE c.id IN (SELECT alike.id FROM clusters_cluster alike WHERE alike.country_id IN (SELECT changed.country_id FROM clusters_cluster changed WHERE changed.id IN (%(g0)s)))
    ) described
),
cluster_groups AS (
    SELECT kept.* FROM every_cluster_group kept
    WHERE EXISTS (
        SELECT 1 FROM every_cluster_group changed
        WHERE changed.cluster_id IN (%(g0)s)
          AND changed.period_id = kept.period_id AND changed.group_id = kept.group_id
    )
),
group_leaders AS (
    SELECT period_id, group_id, MIN(cluster_id) AS leader_id
    FROM cluster_groups GROUP BY period_id, group_id
),
cluster_year_groups AS (
    SELECT g.cluster_id, p.year,
           MAX(CASE WHEN p.quarter = 0 THEN g.group_id END) AS year_group,
           MAX(CASE WHEN p.quarter = 1 THEN g.group_id END) AS q1_group,
           MAX(CASE WHEN p.quarter = 2 THEN g.group_id END) AS q2_group,
           MAX(CASE WHEN p.quarter = 3 THEN g.group_id END) AS q3_group,
           MAX(CASE WHEN p.quarter = 4 THEN g.group_id END) AS q4_group
    FROM cluster_groups g JOIN periods p ON p.id = g.period_id
    GROUP BY g.cluster_id, p.year
),

-- the parts of split KPIs: each cluster's, then each group's
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
    WHERE r.state = 'approved' AND r.cluster_id = ANY(ARRAY(SELECT cluster_id FROM cluster_groups))
),
entered AS (
    SELECT m.id AS measurement_id, r.cluster_id, m.kpi_id, r.year, r.quarter,
           m.value_women, m.value_men
    FROM monitoring_measurement m
    JOIN split_reports r ON r.id = m.report_id
    JOIN split_kpis k ON k.id = m.kpi_id
    WHERE m.report_id = ANY(ARRAY(SELECT id FROM split_reports))
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
group_parts AS (
    SELECT l.leader_id, x.kpi_id, x.period_id, x.dimension, x.category,
           SUM(x.value) AS value_sum, COUNT(*) AS clusters
    FROM cluster_parts x
    JOIN cluster_groups g ON g.cluster_id = x.cluster_id AND g.period_id = x.period_id
    JOIN group_leaders l ON l.period_id = g.period_id AND l.group_id = g.group_id
    GROUP BY l.leader_id, x.kpi_id, x.period_id, x.dimension, x.category
),
group_dimensions AS (
    SELECT l.leader_id, x.kpi_id, x.period_id, x.dimension,
           COUNT(DISTINCT x.cluster_id) AS clusters_split
    FROM cluster_parts x
    JOIN cluster_groups g ON g.cluster_id = x.cluster_id AND g.period_id = x.period_id
    JOIN group_leaders l ON l.period_id = g.period_id AND l.group_id = g.group_id
    GROUP BY l.leader_id, x.kpi_id, x.period_id, x.dimension
),
replaced_split_partials AS (
    DELETE FROM monitoring_rollupsplitpartial stored USING group_leaders l
    WHERE stored.period_id = l.period_id AND stored.leader_id = l.leader_id AND 1 = 1
)
INSERT INTO monitoring_rollupsplitpartial (kpi_id, period_id, leader_id, dimension, category, value_sum, clusters, clusters_split)
SELECT s.kpi_id, s.period_id, s.leader_id, s.dimension, s.category, s.value_sum, s.clusters,
       d.clusters_split
FROM group_parts s
JOIN group_dimensions d ON d.leader_id = s.leader_id AND d.kpi_id = s.kpi_id
    AND d.period_id = s.period_id AND d.dimension = s.dimension
