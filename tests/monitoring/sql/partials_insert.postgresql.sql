INSERT INTO monitoring_rolluppartial (kpi_id, period_id, leader_id, reporting, expected, complete, value_sum, value_count, value_min, value_max, numerator_sum, denominator_sum, women_sum, men_sum, yes, derived_target)
WITH
-- step 0: the periods and KPIs the statement covers
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE id IN (%(p0)s, %(p1)s, %(p2)s, %(p3)s, %(p4)s)
),
periods_of_the_years AS (
    SELECT id, year, quarter FROM scorecards_period WHERE year IN (SELECT year FROM periods)
),
kpis AS (
    SELECT id, aggregation, time_aggregation, frequency, scale,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind
    FROM scorecards_kpi WHERE cluster_id IS NULL AND 1 = 1
),
template_kpis AS (
    SELECT DISTINCT perspective.template_id, held.kpi_id
    FROM scorecards_templatekpi held
    JOIN scorecards_csf csf ON csf.id = held.csf_id
    JOIN scorecards_perspective perspective ON perspective.id = csf.perspective_id
    WHERE held.kpi_id IN (SELECT id FROM kpis)
),

-- step 1: each cluster's group in each period
enrolments AS (
    SELECT DISTINCT e.cluster_id, p.id AS period_id, e.program_id
    FROM programs_enrolment e
    JOIN periods p ON e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    WHERE 1 = 1
),
cluster_templates AS (
    SELECT DISTINCT cs.cluster_id, p.id AS period_id, cs.template_id
    FROM scorecards_clusterscorecard cs
    JOIN periods p ON cs.adopted_on <= p.ends_on AND (cs.until IS NULL OR cs.until >= p.ends_on)
    WHERE 1 = 1
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
        WHERE 1 = 1
    ) described
),
cluster_groups AS (
    SELECT * FROM every_cluster_group
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

-- step 2a: the approved values of a year, side by side
approved_reports AS (
    SELECT r.id, r.cluster_id, p.year, p.quarter
    FROM monitoring_report r JOIN periods_of_the_years p ON p.id = r.period_id
    WHERE r.state = 'approved' AND 1 = 1
),
-- (The KPIs, and which of them to recompute, are joined after step 2a: joined or filtered
-- here, they lead PostgreSQL's planner to read the values KPI by KPI through an index.)
annual_values AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           m.value AS annual_value,
           m.numerator AS annual_numerator,
           m.denominator AS annual_denominator,
           m.value_women AS annual_value_women,
           m.value_men AS annual_value_men
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = 0 AND m.report_id = ANY(ARRAY(SELECT id FROM approved_reports WHERE quarter = 0))
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
q1_values AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           m.value AS q1_value,
           m.numerator AS q1_numerator,
           m.denominator AS q1_denominator,
           m.value_women AS q1_value_women,
           m.value_men AS q1_value_men
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = 1 AND m.report_id = ANY(ARRAY(SELECT id FROM approved_reports WHERE quarter = 1))
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
q2_values AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           m.value AS q2_value,
           m.numerator AS q2_numerator,
           m.denominator AS q2_denominator,
           m.value_women AS q2_value_women,
           m.value_men AS q2_value_men
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = 2 AND m.report_id = ANY(ARRAY(SELECT id FROM approved_reports WHERE quarter = 2))
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
q3_values AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           m.value AS q3_value,
           m.numerator AS q3_numerator,
           m.denominator AS q3_denominator,
           m.value_women AS q3_value_women,
           m.value_men AS q3_value_men
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = 3 AND m.report_id = ANY(ARRAY(SELECT id FROM approved_reports WHERE quarter = 3))
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
q4_values AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           m.value AS q4_value,
           m.numerator AS q4_numerator,
           m.denominator AS q4_denominator,
           m.value_women AS q4_value_women,
           m.value_men AS q4_value_men
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = 4 AND m.report_id = ANY(ARRAY(SELECT id FROM approved_reports WHERE quarter = 4))
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
values_side_by_side AS (
    SELECT COALESCE(q1.cluster_id, q2.cluster_id, q3.cluster_id, q4.cluster_id, annual.cluster_id) AS cluster_id,
           COALESCE(q1.kpi_id, q2.kpi_id, q3.kpi_id, q4.kpi_id, annual.kpi_id) AS kpi_id,
           COALESCE(q1.year, q2.year, q3.year, q4.year, annual.year) AS year,
           CASE WHEN annual.kpi_id IS NULL THEN 0 ELSE 1 END
           + CASE WHEN q1.kpi_id IS NULL THEN 0 ELSE 2 END
           + CASE WHEN q2.kpi_id IS NULL THEN 0 ELSE 4 END
           + CASE WHEN q3.kpi_id IS NULL THEN 0 ELSE 8 END
           + CASE WHEN q4.kpi_id IS NULL THEN 0 ELSE 16 END AS reported_slots,
           annual_value, annual_numerator, annual_denominator, annual_value_women, annual_value_men,
           q1_value, q1_numerator, q1_denominator, q1_value_women, q1_value_men,
           q2_value, q2_numerator, q2_denominator, q2_value_women, q2_value_men,
           q3_value, q3_numerator, q3_denominator, q3_value_women, q3_value_men,
           q4_value, q4_numerator, q4_denominator, q4_value_women, q4_value_men
    FROM q1_values q1
    FULL JOIN q2_values q2
        ON q2.cluster_id = q1.cluster_id
        AND q2.kpi_id = q1.kpi_id
        AND q2.year = q1.year
    FULL JOIN q3_values q3
        ON q3.cluster_id = COALESCE(q1.cluster_id, q2.cluster_id)
        AND q3.kpi_id = COALESCE(q1.kpi_id, q2.kpi_id)
        AND q3.year = COALESCE(q1.year, q2.year)
    FULL JOIN q4_values q4
        ON q4.cluster_id = COALESCE(q1.cluster_id, q2.cluster_id, q3.cluster_id)
        AND q4.kpi_id = COALESCE(q1.kpi_id, q2.kpi_id, q3.kpi_id)
        AND q4.year = COALESCE(q1.year, q2.year, q3.year)
    FULL JOIN annual_values annual
        ON annual.cluster_id = COALESCE(q1.cluster_id, q2.cluster_id, q3.cluster_id, q4.cluster_id)
        AND annual.kpi_id = COALESCE(q1.kpi_id, q2.kpi_id, q3.kpi_id, q4.kpi_id)
        AND annual.year = COALESCE(q1.year, q2.year, q3.year, q4.year)
),

-- step 2b: each cluster year with its groups and its year value
-- (materialized: each year value is worked out once, not once for each sum that reads it)
cluster_years AS MATERIALIZED (
    SELECT v.*,
           g.year_group, g.q1_group, g.q2_group, g.q3_group, g.q4_group,
           CASE WHEN k.source_kind = 'year' THEN v.annual_value
                WHEN k.time_aggregation = 'sum' THEN CASE WHEN v.q1_value IS NULL AND v.q2_value IS NULL AND v.q3_value IS NULL AND v.q4_value IS NULL THEN NULL ELSE COALESCE(v.q1_value, 0) + COALESCE(v.q2_value, 0) + COALESCE(v.q3_value, 0) + COALESCE(v.q4_value, 0) END
                WHEN k.time_aggregation = 'mean' THEN (CASE WHEN v.q1_value IS NULL AND v.q2_value IS NULL AND v.q3_value IS NULL AND v.q4_value IS NULL THEN NULL ELSE COALESCE(v.q1_value, 0) + COALESCE(v.q2_value, 0) + COALESCE(v.q3_value, 0) + COALESCE(v.q4_value, 0) END) * 1.0 / NULLIF(CASE WHEN v.q1_value IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q2_value IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q3_value IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q4_value IS NULL THEN 0 ELSE 1 END, 0)
                ELSE CASE WHEN v.reported_slots & 16 <> 0 THEN v.q4_value WHEN v.reported_slots & 8 <> 0 THEN v.q3_value WHEN v.reported_slots & 4 <> 0 THEN v.q2_value WHEN v.reported_slots & 2 <> 0 THEN v.q1_value END
           END AS year_value,
           CASE WHEN k.source_kind = 'year' THEN v.annual_numerator
                WHEN k.time_aggregation = 'sum' THEN CASE WHEN v.q1_numerator IS NULL AND v.q2_numerator IS NULL AND v.q3_numerator IS NULL AND v.q4_numerator IS NULL THEN NULL ELSE COALESCE(v.q1_numerator, 0) + COALESCE(v.q2_numerator, 0) + COALESCE(v.q3_numerator, 0) + COALESCE(v.q4_numerator, 0) END
                WHEN k.time_aggregation = 'mean' THEN (CASE WHEN v.q1_numerator IS NULL AND v.q2_numerator IS NULL AND v.q3_numerator IS NULL AND v.q4_numerator IS NULL THEN NULL ELSE COALESCE(v.q1_numerator, 0) + COALESCE(v.q2_numerator, 0) + COALESCE(v.q3_numerator, 0) + COALESCE(v.q4_numerator, 0) END) * 1.0 / NULLIF(CASE WHEN v.q1_numerator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q2_numerator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q3_numerator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q4_numerator IS NULL THEN 0 ELSE 1 END, 0)
                ELSE CASE WHEN v.reported_slots & 16 <> 0 THEN v.q4_numerator WHEN v.reported_slots & 8 <> 0 THEN v.q3_numerator WHEN v.reported_slots & 4 <> 0 THEN v.q2_numerator WHEN v.reported_slots & 2 <> 0 THEN v.q1_numerator END
           END AS year_numerator,
           CASE WHEN k.source_kind = 'year' THEN v.annual_denominator
                WHEN k.time_aggregation = 'sum' THEN CASE WHEN v.q1_denominator IS NULL AND v.q2_denominator IS NULL AND v.q3_denominator IS NULL AND v.q4_denominator IS NULL THEN NULL ELSE COALESCE(v.q1_denominator, 0) + COALESCE(v.q2_denominator, 0) + COALESCE(v.q3_denominator, 0) + COALESCE(v.q4_denominator, 0) END
                WHEN k.time_aggregation = 'mean' THEN (CASE WHEN v.q1_denominator IS NULL AND v.q2_denominator IS NULL AND v.q3_denominator IS NULL AND v.q4_denominator IS NULL THEN NULL ELSE COALESCE(v.q1_denominator, 0) + COALESCE(v.q2_denominator, 0) + COALESCE(v.q3_denominator, 0) + COALESCE(v.q4_denominator, 0) END) * 1.0 / NULLIF(CASE WHEN v.q1_denominator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q2_denominator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q3_denominator IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q4_denominator IS NULL THEN 0 ELSE 1 END, 0)
                ELSE CASE WHEN v.reported_slots & 16 <> 0 THEN v.q4_denominator WHEN v.reported_slots & 8 <> 0 THEN v.q3_denominator WHEN v.reported_slots & 4 <> 0 THEN v.q2_denominator WHEN v.reported_slots & 2 <> 0 THEN v.q1_denominator END
           END AS year_denominator,
           CASE WHEN k.source_kind = 'year' THEN v.annual_value_women
                WHEN k.time_aggregation = 'sum' THEN CASE WHEN v.q1_value_women IS NULL AND v.q2_value_women IS NULL AND v.q3_value_women IS NULL AND v.q4_value_women IS NULL THEN NULL ELSE COALESCE(v.q1_value_women, 0) + COALESCE(v.q2_value_women, 0) + COALESCE(v.q3_value_women, 0) + COALESCE(v.q4_value_women, 0) END
                WHEN k.time_aggregation = 'mean' THEN (CASE WHEN v.q1_value_women IS NULL AND v.q2_value_women IS NULL AND v.q3_value_women IS NULL AND v.q4_value_women IS NULL THEN NULL ELSE COALESCE(v.q1_value_women, 0) + COALESCE(v.q2_value_women, 0) + COALESCE(v.q3_value_women, 0) + COALESCE(v.q4_value_women, 0) END) * 1.0 / NULLIF(CASE WHEN v.q1_value_women IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q2_value_women IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q3_value_women IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q4_value_women IS NULL THEN 0 ELSE 1 END, 0)
                ELSE CASE WHEN v.reported_slots & 16 <> 0 THEN v.q4_value_women WHEN v.reported_slots & 8 <> 0 THEN v.q3_value_women WHEN v.reported_slots & 4 <> 0 THEN v.q2_value_women WHEN v.reported_slots & 2 <> 0 THEN v.q1_value_women END
           END AS year_value_women,
           CASE WHEN k.source_kind = 'year' THEN v.annual_value_men
                WHEN k.time_aggregation = 'sum' THEN CASE WHEN v.q1_value_men IS NULL AND v.q2_value_men IS NULL AND v.q3_value_men IS NULL AND v.q4_value_men IS NULL THEN NULL ELSE COALESCE(v.q1_value_men, 0) + COALESCE(v.q2_value_men, 0) + COALESCE(v.q3_value_men, 0) + COALESCE(v.q4_value_men, 0) END
                WHEN k.time_aggregation = 'mean' THEN (CASE WHEN v.q1_value_men IS NULL AND v.q2_value_men IS NULL AND v.q3_value_men IS NULL AND v.q4_value_men IS NULL THEN NULL ELSE COALESCE(v.q1_value_men, 0) + COALESCE(v.q2_value_men, 0) + COALESCE(v.q3_value_men, 0) + COALESCE(v.q4_value_men, 0) END) * 1.0 / NULLIF(CASE WHEN v.q1_value_men IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q2_value_men IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q3_value_men IS NULL THEN 0 ELSE 1 END + CASE WHEN v.q4_value_men IS NULL THEN 0 ELSE 1 END, 0)
                ELSE CASE WHEN v.reported_slots & 16 <> 0 THEN v.q4_value_men WHEN v.reported_slots & 8 <> 0 THEN v.q3_value_men WHEN v.reported_slots & 4 <> 0 THEN v.q2_value_men WHEN v.reported_slots & 2 <> 0 THEN v.q1_value_men END
           END AS year_value_men,
           CASE WHEN k.source_kind = 'year' THEN v.reported_slots & 1
                WHEN v.reported_slots & 30 <> 0 THEN 1 ELSE 0 END AS year_reporting,
           CASE WHEN k.source_kind = 'year' THEN v.reported_slots & 1
                WHEN v.reported_slots & 30 = 30 THEN 1 ELSE 0 END AS year_complete
    FROM values_side_by_side v
    JOIN kpis k ON k.id = v.kpi_id
    JOIN cluster_year_groups g ON g.cluster_id = v.cluster_id AND g.year = v.year
),

-- step 3a: the cluster years of alike groups, added up slot by slot
group_sums AS (
    SELECT y.kpi_id, y.year, y.year_group, y.q1_group, y.q2_group, y.q3_group, y.q4_group,
           SUM(y.year_reporting) AS year_reporting,
           SUM(y.year_value) AS year_value_sum,
           COUNT(y.year_value) AS year_value_count,
           MIN(y.year_value) AS year_value_min,
           MAX(y.year_value) AS year_value_max,
           SUM(y.year_numerator) AS year_numerator_sum,
           SUM(y.year_denominator) AS year_denominator_sum,
           SUM(y.year_value_women) AS year_women_sum,
           SUM(y.year_value_men) AS year_men_sum,
           SUM(CASE WHEN y.year_value = 1 THEN 1 ELSE 0 END) AS year_yes,
           SUM(y.year_complete) AS year_complete,

           SUM(y.reported_slots & 2) / 2 AS q1_reporting,
           SUM(y.q1_value) AS q1_value_sum,
           COUNT(y.q1_value) AS q1_value_count,
           MIN(y.q1_value) AS q1_value_min,
           MAX(y.q1_value) AS q1_value_max,
           SUM(y.q1_numerator) AS q1_numerator_sum,
           SUM(y.q1_denominator) AS q1_denominator_sum,
           SUM(y.q1_value_women) AS q1_women_sum,
           SUM(y.q1_value_men) AS q1_men_sum,
           SUM(CASE WHEN y.q1_value = 1 THEN 1 ELSE 0 END) AS q1_yes,
           SUM(y.reported_slots & 2) / 2 AS q1_complete,

           SUM(y.reported_slots & 4) / 4 AS q2_reporting,
           SUM(y.q2_value) AS q2_value_sum,
           COUNT(y.q2_value) AS q2_value_count,
           MIN(y.q2_value) AS q2_value_min,
           MAX(y.q2_value) AS q2_value_max,
           SUM(y.q2_numerator) AS q2_numerator_sum,
           SUM(y.q2_denominator) AS q2_denominator_sum,
           SUM(y.q2_value_women) AS q2_women_sum,
           SUM(y.q2_value_men) AS q2_men_sum,
           SUM(CASE WHEN y.q2_value = 1 THEN 1 ELSE 0 END) AS q2_yes,
           SUM(y.reported_slots & 4) / 4 AS q2_complete,

           SUM(y.reported_slots & 8) / 8 AS q3_reporting,
           SUM(y.q3_value) AS q3_value_sum,
           COUNT(y.q3_value) AS q3_value_count,
           MIN(y.q3_value) AS q3_value_min,
           MAX(y.q3_value) AS q3_value_max,
           SUM(y.q3_numerator) AS q3_numerator_sum,
           SUM(y.q3_denominator) AS q3_denominator_sum,
           SUM(y.q3_value_women) AS q3_women_sum,
           SUM(y.q3_value_men) AS q3_men_sum,
           SUM(CASE WHEN y.q3_value = 1 THEN 1 ELSE 0 END) AS q3_yes,
           SUM(y.reported_slots & 8) / 8 AS q3_complete,

           SUM(y.reported_slots & 16) / 16 AS q4_reporting,
           SUM(y.q4_value) AS q4_value_sum,
           COUNT(y.q4_value) AS q4_value_count,
           MIN(y.q4_value) AS q4_value_min,
           MAX(y.q4_value) AS q4_value_max,
           SUM(y.q4_numerator) AS q4_numerator_sum,
           SUM(y.q4_denominator) AS q4_denominator_sum,
           SUM(y.q4_value_women) AS q4_women_sum,
           SUM(y.q4_value_men) AS q4_men_sum,
           SUM(CASE WHEN y.q4_value = 1 THEN 1 ELSE 0 END) AS q4_yes,
           SUM(y.reported_slots & 16) / 16 AS q4_complete
    FROM cluster_years y
    GROUP BY y.kpi_id, y.year, y.year_group, y.q1_group, y.q2_group, y.q3_group, y.q4_group
),

-- step 3b: the partial sums of each group in each period
period_sums AS (
    SELECT kpi_id, period_id, group_id,
           SUM(reporting) AS reporting,
           SUM(value_sum) AS value_sum,
           SUM(value_count) AS value_count,
           MIN(value_min) AS value_min,
           MAX(value_max) AS value_max,
           SUM(numerator_sum) AS numerator_sum,
           SUM(denominator_sum) AS denominator_sum,
           SUM(women_sum) AS women_sum,
           SUM(men_sum) AS men_sum,
           SUM(yes) AS yes,
           SUM(complete) AS complete
    FROM (
        SELECT s.kpi_id, p.id AS period_id,
               CASE p.quarter WHEN 0 THEN s.year_group WHEN 1 THEN s.q1_group WHEN 2 THEN s.q2_group WHEN 3 THEN s.q3_group WHEN 4 THEN s.q4_group END AS group_id,
               CASE p.quarter WHEN 0 THEN s.year_reporting WHEN 1 THEN s.q1_reporting WHEN 2 THEN s.q2_reporting WHEN 3 THEN s.q3_reporting WHEN 4 THEN s.q4_reporting END AS reporting,
               CASE p.quarter WHEN 0 THEN s.year_value_sum WHEN 1 THEN s.q1_value_sum WHEN 2 THEN s.q2_value_sum WHEN 3 THEN s.q3_value_sum WHEN 4 THEN s.q4_value_sum END AS value_sum,
               CASE p.quarter WHEN 0 THEN s.year_value_count WHEN 1 THEN s.q1_value_count WHEN 2 THEN s.q2_value_count WHEN 3 THEN s.q3_value_count WHEN 4 THEN s.q4_value_count END AS value_count,
               CASE p.quarter WHEN 0 THEN s.year_value_min WHEN 1 THEN s.q1_value_min WHEN 2 THEN s.q2_value_min WHEN 3 THEN s.q3_value_min WHEN 4 THEN s.q4_value_min END AS value_min,
               CASE p.quarter WHEN 0 THEN s.year_value_max WHEN 1 THEN s.q1_value_max WHEN 2 THEN s.q2_value_max WHEN 3 THEN s.q3_value_max WHEN 4 THEN s.q4_value_max END AS value_max,
               CASE p.quarter WHEN 0 THEN s.year_numerator_sum WHEN 1 THEN s.q1_numerator_sum WHEN 2 THEN s.q2_numerator_sum WHEN 3 THEN s.q3_numerator_sum WHEN 4 THEN s.q4_numerator_sum END AS numerator_sum,
               CASE p.quarter WHEN 0 THEN s.year_denominator_sum WHEN 1 THEN s.q1_denominator_sum WHEN 2 THEN s.q2_denominator_sum WHEN 3 THEN s.q3_denominator_sum WHEN 4 THEN s.q4_denominator_sum END AS denominator_sum,
               CASE p.quarter WHEN 0 THEN s.year_women_sum WHEN 1 THEN s.q1_women_sum WHEN 2 THEN s.q2_women_sum WHEN 3 THEN s.q3_women_sum WHEN 4 THEN s.q4_women_sum END AS women_sum,
               CASE p.quarter WHEN 0 THEN s.year_men_sum WHEN 1 THEN s.q1_men_sum WHEN 2 THEN s.q2_men_sum WHEN 3 THEN s.q3_men_sum WHEN 4 THEN s.q4_men_sum END AS men_sum,
               CASE p.quarter WHEN 0 THEN s.year_yes WHEN 1 THEN s.q1_yes WHEN 2 THEN s.q2_yes WHEN 3 THEN s.q3_yes WHEN 4 THEN s.q4_yes END AS yes,
               CASE p.quarter WHEN 0 THEN s.year_complete WHEN 1 THEN s.q1_complete WHEN 2 THEN s.q2_complete WHEN 3 THEN s.q3_complete WHEN 4 THEN s.q4_complete END AS complete
        FROM group_sums s
        JOIN kpis k ON k.id = s.kpi_id
        JOIN periods p ON p.year = s.year
        WHERE p.kind = 'year' OR k.source_kind = 'quarter'
    ) slot_in_period
    WHERE group_id IS NOT NULL
    GROUP BY kpi_id, period_id, group_id
    HAVING SUM(reporting) > 0  -- a slot no cluster of the group reported in is no partial sum
),

-- step 4: each group's partial sums with its coverage and targets
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
),
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
),
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
)
SELECT s.kpi_id, s.period_id, l.leader_id, s.reporting, s.expected, s.complete, s.value_sum,
       s.value_count, s.value_min, s.value_max, s.numerator_sum, s.denominator_sum,
       s.women_sum, s.men_sum, s.yes, s.derived_target
FROM partial_sums s JOIN group_leaders l ON l.period_id = s.period_id AND l.group_id = s.group_id
