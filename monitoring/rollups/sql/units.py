"""Step 5 of the rollup statements: the partial sums of the groups under each unit, added up.

A group is in the units of its leader: its country (level 1), each region holding that
country (2, regions may overlap), each program its leader is enrolled in during the period
(3), and the global total (4, unit 0). (A cluster row is its cluster's own unit, level 0:
monitoring.rollups.sql.cluster_sums.) Levels go by number while the sums are added up (sorting
and hashing words costs more), by name in the rows (monitoring.rollups.sql.totals).

Input CTEs: `partial_sums`, `partial_groups`, `periods`. Rows and columns of its CTEs:

- `group_units`: each group's units (period_id, group_id, level, unit_id);
- `unit_sums`: one row per unit, KPI and period (level, unit_id, kpi_id, period_id, the
  partial sums of monitoring.rollups.sql.group_sums.MEASURES added up, expected and
  derived_target).
"""

# the heading of its CTEs in the assembled statement
STEP = "step 5: the partial sums of the groups under each unit, added up"

GROUP_UNITS = """\
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
)"""

UNIT_SUMS = """\
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
)"""


def ctes() -> list[str]:
    """Step 5's CTEs (groups named by their leaders, from stored partial sums)."""
    return [GROUP_UNITS, UNIT_SUMS]
