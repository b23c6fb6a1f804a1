INSERT INTO monitoring_rollupsplit (kpi_id, period_id, level, unit_id, dimension, category, value, clusters, clusters_split, computed_at)
WITH
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE id IN (%(p0)s, %(p1)s, %(p2)s, %(p3)s, %(p4)s)
),
split_partials AS (
    SELECT kpi_id, period_id, leader_id AS group_id, dimension, category, value_sum, clusters,
           clusters_split
    FROM monitoring_rollupsplitpartial
    WHERE period_id IN (%(p0)s, %(p1)s, %(p2)s, %(p3)s, %(p4)s) AND 1 = 1
),
partial_groups AS (SELECT DISTINCT period_id, group_id FROM split_partials),
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
unit_parts AS (
    SELECT u.level, u.unit_id, s.kpi_id, s.period_id, s.dimension, s.category,
           SUM(s.value_sum) AS value, SUM(s.clusters) AS clusters
    FROM split_partials s
    JOIN group_units u ON u.period_id = s.period_id AND u.group_id = s.group_id
    GROUP BY u.level, u.unit_id, s.kpi_id, s.period_id, s.dimension, s.category
),
-- (a group's clusters_split is on each of its categories' rows: taken once per dimension)
group_dimensions AS (
    SELECT DISTINCT kpi_id, period_id, group_id, dimension, clusters_split FROM split_partials
),
unit_dimensions AS (
    SELECT u.level, u.unit_id, d.kpi_id, d.period_id, d.dimension,
           SUM(d.clusters_split) AS clusters_split
    FROM group_dimensions d
    JOIN group_units u ON u.period_id = d.period_id AND u.group_id = d.group_id
    GROUP BY u.level, u.unit_id, d.kpi_id, d.period_id, d.dimension
)
SELECT total.kpi_id, total.period_id, CASE total.level WHEN 0 THEN 'cluster' WHEN 1 THEN 'country' WHEN 2 THEN 'region' WHEN 3 THEN 'program' WHEN 4 THEN 'global' END AS level, total.unit_id, total.dimension,
       total.category, total.value, total.clusters, d.clusters_split, %(now)s AS computed_at
FROM unit_parts total
JOIN unit_dimensions d ON d.level = total.level AND d.unit_id = total.unit_id
    AND d.kpi_id = total.kpi_id AND d.period_id = total.period_id
    AND d.dimension = total.dimension
