INSERT INTO monitoring_clusterrollup (kpi_id, period_id, level, unit_id, value, numerator, denominator, value_women, value_men, target, target_derived, baseline, clusters_reporting, clusters_complete, clusters_expected, computed_at)
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
    SELECT cluster_id, period_id, group_concat(program_id) AS programs
    FROM enrolments GROUP BY cluster_id, period_id
),
template_sets AS (
    SELECT cluster_id, period_id, group_concat(template_id) AS templates
    FROM cluster_templates GROUP BY cluster_id, period_id
),
every_cluster_group AS (
    SELECT cluster_id, period_id, country_id, active, cluster_id AS group_id
    FROM (
        SELECT c.id AS cluster_id, p.id AS period_id, c.country_id, c.status,
               CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS active,
               COALESCE(program_sets.programs, '') AS programs,
               COALESCE(template_sets.templates, '') AS templates,
               0 AS batch
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
    WHERE reports.quarter = 0 AND m.report_id IN (SELECT id FROM approved_reports WHERE quarter = 0)
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
    WHERE reports.quarter = 1 AND m.report_id IN (SELECT id FROM approved_reports WHERE quarter = 1)
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
    WHERE reports.quarter = 2 AND m.report_id IN (SELECT id FROM approved_reports WHERE quarter = 2)
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
    WHERE reports.quarter = 3 AND m.report_id IN (SELECT id FROM approved_reports WHERE quarter = 3)
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
    WHERE reports.quarter = 4 AND m.report_id IN (SELECT id FROM approved_reports WHERE quarter = 4)
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

-- steps 3 to 5 for cluster rows: each cluster year's own sums, beside its coverage
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
cluster_periods AS (
    SELECT kpi_id, period_id, group_id,
           reporting, value_sum, value_count, value_min, value_max, numerator_sum, denominator_sum, women_sum, men_sum, yes, complete
    FROM (
        SELECT y.kpi_id, p.id AS period_id,
               CASE p.quarter WHEN 0 THEN y.year_group WHEN 1 THEN y.q1_group WHEN 2 THEN y.q2_group WHEN 3 THEN y.q3_group WHEN 4 THEN y.q4_group END AS group_id,
               CASE p.quarter WHEN 0 THEN y.year_reporting WHEN 1 THEN (y.reported_slots & 2) / 2 WHEN 2 THEN (y.reported_slots & 4) / 4 WHEN 3 THEN (y.reported_slots & 8) / 8 WHEN 4 THEN (y.reported_slots & 16) / 16 END AS reporting,
               CASE p.quarter WHEN 0 THEN y.year_value WHEN 1 THEN y.q1_value WHEN 2 THEN y.q2_value WHEN 3 THEN y.q3_value WHEN 4 THEN y.q4_value END AS value_sum,
               CASE p.quarter WHEN 0 THEN CASE WHEN y.year_value IS NULL THEN 0 ELSE 1 END WHEN 1 THEN CASE WHEN y.q1_value IS NULL THEN 0 ELSE 1 END WHEN 2 THEN CASE WHEN y.q2_value IS NULL THEN 0 ELSE 1 END WHEN 3 THEN CASE WHEN y.q3_value IS NULL THEN 0 ELSE 1 END WHEN 4 THEN CASE WHEN y.q4_value IS NULL THEN 0 ELSE 1 END END AS value_count,
               CASE p.quarter WHEN 0 THEN y.year_value WHEN 1 THEN y.q1_value WHEN 2 THEN y.q2_value WHEN 3 THEN y.q3_value WHEN 4 THEN y.q4_value END AS value_min,
               CASE p.quarter WHEN 0 THEN y.year_value WHEN 1 THEN y.q1_value WHEN 2 THEN y.q2_value WHEN 3 THEN y.q3_value WHEN 4 THEN y.q4_value END AS value_max,
               CASE p.quarter WHEN 0 THEN y.year_numerator WHEN 1 THEN y.q1_numerator WHEN 2 THEN y.q2_numerator WHEN 3 THEN y.q3_numerator WHEN 4 THEN y.q4_numerator END AS numerator_sum,
               CASE p.quarter WHEN 0 THEN y.year_denominator WHEN 1 THEN y.q1_denominator WHEN 2 THEN y.q2_denominator WHEN 3 THEN y.q3_denominator WHEN 4 THEN y.q4_denominator END AS denominator_sum,
               CASE p.quarter WHEN 0 THEN y.year_value_women WHEN 1 THEN y.q1_value_women WHEN 2 THEN y.q2_value_women WHEN 3 THEN y.q3_value_women WHEN 4 THEN y.q4_value_women END AS women_sum,
               CASE p.quarter WHEN 0 THEN y.year_value_men WHEN 1 THEN y.q1_value_men WHEN 2 THEN y.q2_value_men WHEN 3 THEN y.q3_value_men WHEN 4 THEN y.q4_value_men END AS men_sum,
               CASE p.quarter WHEN 0 THEN CASE WHEN y.year_value = 1 THEN 1 ELSE 0 END WHEN 1 THEN CASE WHEN y.q1_value = 1 THEN 1 ELSE 0 END WHEN 2 THEN CASE WHEN y.q2_value = 1 THEN 1 ELSE 0 END WHEN 3 THEN CASE WHEN y.q3_value = 1 THEN 1 ELSE 0 END WHEN 4 THEN CASE WHEN y.q4_value = 1 THEN 1 ELSE 0 END END AS yes,
               CASE p.quarter WHEN 0 THEN y.year_complete WHEN 1 THEN (y.reported_slots & 2) / 2 WHEN 2 THEN (y.reported_slots & 4) / 4 WHEN 3 THEN (y.reported_slots & 8) / 8 WHEN 4 THEN (y.reported_slots & 16) / 16 END AS complete
        FROM cluster_years y
        JOIN kpis k ON k.id = y.kpi_id
        JOIN periods p ON p.year = y.year
        WHERE p.kind = 'year' OR k.source_kind = 'quarter'
    ) slot_in_period
    WHERE group_id IS NOT NULL AND reporting > 0  -- as step 3b: a slot not reported is no row
),
unit_sums AS (
    SELECT 0 AS level, COALESCE(r.group_id, e.group_id) AS unit_id,
           COALESCE(r.kpi_id, e.kpi_id) AS kpi_id,
           COALESCE(r.period_id, e.period_id) AS period_id,
           COALESCE(r.reporting, 0) AS reporting,
           r.value_sum,
           COALESCE(r.value_count, 0) AS value_count,
           r.value_min,
           r.value_max,
           r.numerator_sum,
           r.denominator_sum,
           r.women_sum,
           r.men_sum,
           COALESCE(r.yes, 0) AS yes,
           COALESCE(r.complete, 0) AS complete,
           CASE WHEN e.group_id IS NOT NULL THEN e.clusters ELSE r.reporting END AS expected,
           CAST(NULL AS NUMERIC) AS derived_target
    FROM cluster_periods r
    FULL JOIN expected_clusters e
        ON e.kpi_id = r.kpi_id AND e.period_id = r.period_id AND e.group_id = r.group_id
),

-- step 6: each unit's total beside its targets, the KPI's aggregation applied
unit_targets AS (
    SELECT CASE t.level WHEN 'cluster' THEN 0 WHEN 'country' THEN 1 WHEN 'region' THEN 2 WHEN 'program' THEN 3 WHEN 'global' THEN 4 END AS level,
           COALESCE(t.cluster_id, t.country_id, t.region_id, t.program_id, 0) AS unit_id,
           t.kpi_id, t.period_id, t.value
    FROM scorecards_target t
    WHERE t.kpi_id IN (SELECT id FROM kpis) AND t.period_id IN (SELECT id FROM periods)
      AND t.level = 'cluster' AND 1 = 1
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
       CASE WHEN k.aggregation = 'ratio' THEN CASE WHEN b.denominator > 0 THEN b.numerator * k.scale * 1.0 / b.denominator END ELSE b.value END AS baseline,
       total.reporting AS clusters_reporting,
       CASE WHEN p.kind = 'year' AND k.frequency = 'quarterly' THEN total.complete END
           AS clusters_complete,
       total.expected AS clusters_expected, %(now)s AS computed_at
FROM unit_totals total
JOIN kpis k ON k.id = total.kpi_id
JOIN periods p ON p.id = total.period_id
LEFT JOIN (SELECT * FROM scorecards_baseline WHERE 1 = 1) b
    ON b.kpi_id = total.kpi_id AND b.cluster_id = total.unit_id
