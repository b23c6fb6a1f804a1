"""The split statement: the parts of split KPIs (sex, age group, firm size, ownership) rolled up
beside the totals, as women and men are in the rollup statement (monitoring.rollups.sql.statement).

The same contract, applied the same way: only approved values count (rule 1), and only those
of reports that hold a value (the total), of the KPI's own frequency; a cluster's year is
formed from its quarters first, part by part, with the KPI's time aggregation (the sum, the
mean of the quarters that gave the part, or the latest approved quarter's part: none when that
quarter gave none); then the clusters' parts are added up in each unit they count in (rule 2:
its country, each region holding the country, each program it is enrolled in during the
period, and the global total; once each). A cluster in a group of alike clusters belongs to
the units of the group's leader, which are its own: so these are the units of the totals.

The parts are far fewer than the values (only split KPIs, only the clusters that gave them), so
the statement reads them directly, without the groups and stored partial sums the totals need:
a recompute rebuilds the split rows of its periods and KPIs whole.

Each CTE, and the rows it yields:

- `periods`, `periods_of_the_years`: as step 0 (monitoring.rollups.sql.inputs);
- `split_kpis`: the core KPIs split by any dimension (id, time_aggregation, source_kind,
  by_sex, by_age, by_firm_size, by_ownership);
- `entered`: the approved values of these KPIs in the years, with a value, of the KPI's
  frequency (measurement_id, cluster_id, kpi_id, year, quarter, value_women, value_men);
- `parts`: every part given, one row per value, dimension and category (cluster_id, kpi_id,
  year, quarter, dimension, category, value): women and men from the value's own columns,
  the other dimensions from monitoring_measurementsplit, of the dimensions the KPI asks for;
- `latest_quarters`: each cluster year's latest quarter with a value (cluster_id, kpi_id,
  year, quarter), for the time aggregation `last`;
- `cluster_parts`: each cluster's part in each period computed (period_id, cluster_id, kpi_id,
  dimension, category, value): a quarter's as given, a year's as given (annual KPIs) or
  formed from its quarters; no row where the period has no part;
- `givers`: the clusters with a part in a period (cluster_id, period_id);
- `cluster_units`: the units each of them counts in (cluster_id, period_id, level, unit_id),
  levels by number as in monitoring.rollups.sql.totals (0 cluster ... 4 global);
- `unit_parts`: per unit, KPI, period, dimension and category, the parts added up and the
  clusters that gave one (value, clusters);
- `unit_dimensions`: per unit, KPI, period and dimension, the clusters that gave any of its
  categories (clusters_split);
- the final SELECT: the rows of monitoring_rollupsplit (`COLUMNS`).
"""

from monitoring.rollups.sql.inputs import PERIODS, PERIODS_OF_THE_YEARS
from monitoring.rollups.sql.totals import LEVEL_NAME

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

ENTERED = """\
entered AS (
    SELECT m.id AS measurement_id, r.cluster_id, m.kpi_id, p.year, p.quarter,
           m.value_women, m.value_men
    FROM monitoring_measurement m
    JOIN monitoring_report r ON r.id = m.report_id
    JOIN periods_of_the_years p ON p.id = r.period_id
    JOIN split_kpis k ON k.id = m.kpi_id
    WHERE r.state = 'approved' AND {clusters}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
      AND ((k.source_kind = 'year' AND p.quarter = 0)
           OR (k.source_kind = 'quarter' AND p.quarter > 0))
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
),
givers AS (SELECT DISTINCT cluster_id, period_id FROM cluster_parts)"""

CLUSTER_UNITS = {
    "totals": """\
cluster_units AS (
    SELECT g.cluster_id, g.period_id, 1 AS level, c.country_id AS unit_id
    FROM givers g JOIN clusters_cluster c ON c.id = g.cluster_id
    UNION ALL
    SELECT g.cluster_id, g.period_id, 2, rc.region_id
    FROM givers g JOIN clusters_cluster c ON c.id = g.cluster_id
    JOIN clusters_region_countries rc ON rc.country_id = c.country_id
    UNION ALL
    SELECT DISTINCT g.cluster_id, g.period_id, 3, e.program_id
    FROM givers g JOIN periods p ON p.id = g.period_id
    JOIN programs_enrolment e ON e.cluster_id = g.cluster_id AND e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    UNION ALL
    SELECT cluster_id, period_id, 4, 0 FROM givers
)""",
    "clusters": """\
cluster_units AS (
    SELECT cluster_id, period_id, 0 AS level, cluster_id AS unit_id FROM givers
)""",
}

UNIT_PARTS = """\
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


def select(*, mode: str, periods: str, kpis: str, clusters: str) -> str:
    """The statement's SELECT: `mode` "totals" (country, region, program, global) or
    "clusters" (each cluster its own unit); `periods`, `kpis` and `clusters` are conditions on
    scorecards_period.id, scorecards_kpi.id and r.cluster_id."""
    asked_for = " OR ".join(
        f"(s.dimension = '{dimension}' AND k.{flag} = %(true)s)"
        for dimension, flag in ROW_DIMENSIONS.items()
    )
    ctes = [
        PERIODS.format(periods=periods),
        PERIODS_OF_THE_YEARS,
        SPLIT_KPIS.format(kpis=kpis),
        ENTERED.format(clusters=clusters),
        PARTS.format(asked_for=asked_for),
        LATEST_QUARTERS,
        CLUSTER_PARTS,
        CLUSTER_UNITS[mode],
        UNIT_PARTS,
    ]
    return "WITH\n" + ",\n".join(ctes) + "\n" + ROWS.format(level_name=LEVEL_NAME)
