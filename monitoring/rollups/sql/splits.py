"""The split statements: the parts of split KPIs (sex, age group, firm size, ownership) rolled
up beside the totals, as women and men are in the rollup statement
(monitoring.rollups.sql.statement).

The same contract, applied the same way: only approved values count (rule 1), and only those
of reports that hold a value (the total), of the KPI's own frequency; a cluster's year is
formed from its quarters first, part by part, with the KPI's time aggregation (the sum, the
mean of the quarters that gave the part, or the latest approved quarter's part: none when that
quarter gave none); then the clusters' parts are added up in each unit they count in (rule 2:
its country, each region holding the country, each program it is enrolled in during the
period, and the global total; once each).

As for the totals, the parts go through the groups of alike clusters (step 1 of the rollup
statement): each group's parts are added up and stored (monitoring_rollupsplitpartial, one row
per KPI, period, group, dimension and category), and the split rows are added up from the
stored rows under the units of each group's leader. So an approval sums its cluster's group
again, not every part of its period. Cluster split rows are computed on read, each cluster its
own unit.

Each CTE, and the rows it yields:

- `periods`, `periods_of_the_years`: as step 0 (monitoring.rollups.sql.inputs); for the
  partial sums, step 1's `cluster_groups` and `group_leaders` (monitoring.rollups.sql.groups);
- `split_kpis`: the core KPIs split by any dimension (id, time_aggregation, source_kind,
  by_sex, by_age, by_firm_size, by_ownership);
- `split_reports`: the approved reports of the clusters read, in the years (id, cluster_id,
  year, quarter);
- `entered`: the values of these KPIs in those reports, with a value, of the KPI's
  frequency (measurement_id, cluster_id, kpi_id, year, quarter, value_women, value_men);
- `parts`: every part given, one row per value, dimension and category (cluster_id, kpi_id,
  year, quarter, dimension, category, value): women and men from the value's own columns,
  the other dimensions from monitoring_measurementsplit, of the dimensions the KPI asks for;
- `latest_quarters`: each cluster year's latest quarter with a value (cluster_id, kpi_id,
  year, quarter), for the time aggregation `last`;
- `cluster_parts`: each cluster's part in each period computed (period_id, cluster_id, kpi_id,
  dimension, category, value): a quarter's as given, a year's as given (annual KPIs) or
  formed from its quarters; no row where the period has no part;
- partial sums (`partials_select`): `group_parts`, per group (its leader), KPI, period,
  dimension and category, the parts added up and the clusters that gave one (value_sum,
  clusters); `group_dimensions`, per group, KPI, period and dimension, the clusters that gave
  any of its categories (clusters_split); the final SELECT, the rows of
  monitoring_rollupsplitpartial (`PARTIAL_COLUMNS`);
- totals (`totals_select`): `split_partials`, the stored rows read back (the leader as
  group_id); `partial_groups` and `group_units`, each group's units (as step 5,
  monitoring.rollups.sql.units); `unit_parts` (value, clusters) and `unit_dimensions`
  (clusters_split), the groups' rows added up per unit;
- cluster rows (`clusters_select`): `givers`, `cluster_units` (each cluster its own unit,
  level 0), then `unit_parts` and `unit_dimensions` from the clusters' parts;
- the final SELECT of both: the rows of monitoring_rollupsplit (`COLUMNS`).
"""

from monitoring.rollups.sql.inputs import PERIODS, PERIODS_OF_THE_YEARS
from monitoring.rollups.sql.totals import LEVEL_NAME
from monitoring.rollups.sql.units import GROUP_UNITS

# the heading of its CTEs in the assembled statement
STEP = "the parts of split KPIs: each cluster's, then each group's"

COLUMNS = [
    "kpi_id",
    "period_id",
    "level",
    "unit_id",
    "dimension",
    "category",
    "value",
    "clusters",
    "clusters_split",
    "computed_at",
]

PARTIAL_COLUMNS = [
    "kpi_id",
    "period_id",
    "leader_id",
    "dimension",
    "category",
    "value_sum",
    "clusters",
    "clusters_split",
]

# The dimensions kept as rows of monitoring_measurementsplit, and the KPI's flag for each.
ROW_DIMENSIONS = {"age": "by_age", "firm_size": "by_firm_size", "ownership": "by_ownership"}

SPLIT_KPIS = """\
split_kpis AS (
    SELECT id, time_aggregation,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind,
           by_sex, by_age, by_firm_size, by_ownership
    FROM scorecards_kpi
    WHERE cluster_id IS NULL AND {kpis}
      AND (by_sex = %(true)s OR by_age = %(true)s OR by_firm_size = %(true)s
           OR by_ownership = %(true)s)
)"""

# (the values are found through their reports' ids, as step 2a finds them: see side_by_side)
ENTERED = """\
split_reports AS (
    SELECT r.id, r.cluster_id, p.year, p.quarter
    FROM monitoring_report r JOIN periods_of_the_years p ON p.id = r.period_id
    WHERE r.state = 'approved' AND {clusters}
),
entered AS (
    SELECT m.id AS measurement_id, r.cluster_id, m.kpi_id, r.year, r.quarter,
           m.value_women, m.value_men
    FROM monitoring_measurement m
    JOIN split_reports r ON r.id = m.report_id
    JOIN split_kpis k ON k.id = m.kpi_id
    WHERE {reports_read}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
      AND ((k.source_kind = 'year' AND r.quarter = 0)
           OR (k.source_kind = 'quarter' AND r.quarter > 0))
)"""

PARTS = """\
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
    WHERE {asked_for}
)"""

LATEST_QUARTERS = """\
latest_quarters AS (
    SELECT cluster_id, kpi_id, year, MAX(quarter) AS quarter
    FROM entered WHERE quarter > 0
    GROUP BY cluster_id, kpi_id, year
)"""

CLUSTER_PARTS = """\
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
)"""

# --- each group's parts, stored -------------------------------------------------------------

GROUP_PARTS = """\
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
)"""

REPLACED_PARTIALS = """\
replaced_split_partials AS (
    DELETE FROM monitoring_rollupsplitpartial stored USING group_leaders l
    WHERE stored.period_id = l.period_id AND stored.leader_id = l.leader_id AND {kpis}
)"""

STORED_PARTIALS = """\
SELECT s.kpi_id, s.period_id, s.leader_id, s.dimension, s.category, s.value_sum, s.clusters,
       d.clusters_split
FROM group_parts s
JOIN group_dimensions d ON d.leader_id = s.leader_id AND d.kpi_id = s.kpi_id
    AND d.period_id = s.period_id AND d.dimension = s.dimension"""

# --- the totals, from the stored parts of the groups ----------------------------------------

READ_BACK = """\
split_partials AS (
    SELECT kpi_id, period_id, leader_id AS group_id, dimension, category, value_sum, clusters,
           clusters_split
    FROM monitoring_rollupsplitpartial
    WHERE {periods} AND {kpis}
),
partial_groups AS (SELECT DISTINCT period_id, group_id FROM split_partials)"""

TOTAL_PARTS = """\
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
)"""

# --- cluster rows, each cluster its own unit ------------------------------------------------

CLUSTER_UNIT_PARTS = """\
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
)"""

ROWS = """\
SELECT total.kpi_id, total.period_id, {level_name} AS level, total.unit_id, total.dimension,
       total.category, total.value, total.clusters, d.clusters_split, %(now)s AS computed_at
FROM unit_parts total
JOIN unit_dimensions d ON d.level = total.level AND d.unit_id = total.unit_id
    AND d.kpi_id = total.kpi_id AND d.period_id = total.period_id
    AND d.dimension = total.dimension"""


def parts_ctes(*, kpis: str, clusters: str, id_in: str) -> list[str]:
    """The CTEs from `split_kpis` to `cluster_parts` (input CTEs: `periods`,
    `periods_of_the_years`): `kpis` and `clusters` are conditions on scorecards_kpi.id and
    r.cluster_id; `id_in` finds the values through the index of their reports' ids (as
    monitoring.rollups.sql.statement.Vendor spells it)."""
    asked_for = " OR ".join(
        f"(s.dimension = '{dimension}' AND k.{flag} = %(true)s)"
        for dimension, flag in ROW_DIMENSIONS.items()
    )
    reports_read = id_in.format(column="m.report_id", subquery="SELECT id FROM split_reports")
    return [
        SPLIT_KPIS.format(kpis=kpis),
        ENTERED.format(clusters=clusters, reports_read=reports_read),
        PARTS.format(asked_for=asked_for),
        LATEST_QUARTERS,
        CLUSTER_PARTS,
    ]


def partials_ctes(*, replaced_kpis: str | None = None) -> list[str]:
    """The CTEs adding up each group's parts (input CTEs: `cluster_parts`, `cluster_groups`,
    `group_leaders`); with `replaced_kpis`, a condition on `stored.kpi_id`, also the CTE
    deleting the stored rows of the groups summed again (PostgreSQL)."""
    if replaced_kpis is None:
        return [GROUP_PARTS]
    return [GROUP_PARTS, REPLACED_PARTIALS.format(kpis=replaced_kpis)]


def totals_ctes(*, periods: str, kpis: str) -> list[str]:
    """The CTEs adding up the stored parts of the groups under each unit: `periods` and
    `kpis` are conditions on the stored rows' period_id and kpi_id (input CTE: `periods`)."""
    return [READ_BACK.format(periods=periods, kpis=kpis), GROUP_UNITS, TOTAL_PARTS]


def clusters_select(*, periods: str, kpis: str, clusters: str, id_in: str) -> str:
    """The SELECT of cluster split rows: `periods`, `kpis` and `clusters` are conditions on
    scorecards_period.id, scorecards_kpi.id and r.cluster_id."""
    ctes = [
        PERIODS.format(periods=periods),
        PERIODS_OF_THE_YEARS,
        *parts_ctes(kpis=kpis, clusters=clusters, id_in=id_in),
        CLUSTER_UNIT_PARTS,
    ]
    return "WITH\n" + ",\n".join(ctes) + "\n" + rows()


def rows() -> str:
    """The final SELECT of split rows (input CTEs: `unit_parts`, `unit_dimensions`)."""
    return ROWS.format(level_name=LEVEL_NAME)
