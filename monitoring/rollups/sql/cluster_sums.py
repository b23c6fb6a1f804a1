"""Steps 3 to 5 of the rollup statement for cluster rows: each cluster is its own group and its
own unit, so its sums are its own values, read off its cluster year slot by slot.

A total adds up many cluster years (steps 3a to 5, four aggregations over every cluster
year); a cluster row adds up one. So these CTEs aggregate nothing: each cluster year gives
its periods' sums as step 3a would for a group of one (`group_sums.slot_sums(slot,
single=True)`: the same measures, each of one value), and a cluster expected to report
(step 4's `expected_kpis`) has a row even where it gave no value. The rows are `unit_sums`
as step 5 yields them (level 0, the cluster the unit), and step 6 (monitoring.rollups.sql
.totals) makes the cluster rows of them, as it makes the totals.

Input CTEs: `cluster_years`, `cluster_groups`, `cluster_templates`, `template_kpis`, `kpis`,
`periods`. Rows and columns of its CTEs:

- `expected_kpis`, `expected_clusters`: as step 4 (monitoring.rollups.sql.coverage), each
  cluster its own group;
- `cluster_periods`: one row per cluster, KPI and period it reported in (kpi_id, period_id,
  group_id: the cluster, and the measures of group_sums.MEASURES);
- `unit_sums`: one row per cluster, KPI and period it reported in or was expected to (level
  0, unit_id: the cluster, kpi_id, period_id, the measures, expected: 1 when expected, else
  reporting, and derived_target: NULL, a cluster row has its own target).
"""

from monitoring.rollups.sql import coverage, slots
from monitoring.rollups.sql.group_sums import MEASURES, slot_sums

# the heading of its CTEs in the assembled statement
STEP = "steps 3 to 5 for cluster rows: each cluster year's own sums, beside its coverage"

CLUSTER_PERIODS = """\
cluster_periods AS (
    SELECT kpi_id, period_id, group_id,
           {measures}
    FROM (
        SELECT y.kpi_id, p.id AS period_id,
               {in_period}
        FROM cluster_years y
        JOIN kpis k ON k.id = y.kpi_id
        JOIN periods p ON p.year = y.year
        WHERE p.kind = 'year' OR k.source_kind = 'quarter'
    ) slot_in_period
    WHERE group_id IS NOT NULL AND reporting > 0  -- as step 3b: a slot not reported is no row
)"""

# A cluster expected to report counts itself in the base; one that is not, if it reported
# (as step 4's partial_sums, for a group of one).
UNIT_SUMS = """\
unit_sums AS (
    SELECT 0 AS level, COALESCE(r.group_id, e.group_id) AS unit_id,
           COALESCE(r.kpi_id, e.kpi_id) AS kpi_id,
           COALESCE(r.period_id, e.period_id) AS period_id,
           {measures},
           CASE WHEN e.group_id IS NOT NULL THEN e.clusters ELSE r.reporting END AS expected,
           CAST(NULL AS NUMERIC) AS derived_target
    FROM cluster_periods r
    FULL JOIN expected_clusters e
        ON e.kpi_id = r.kpi_id AND e.period_id = r.period_id AND e.group_id = r.group_id
)"""

# a measure where the cluster gave no value: counts are 0, sums and extremes NULL
COUNTED = {"reporting", "value_count", "yes", "complete"}


def ctes() -> list[str]:
    """The CTEs from `expected_kpis` to `unit_sums`."""
    in_period = ",\n               ".join(
        _in_period(column, sums) for column, sums in [("group", None), *((m, m) for m in MEASURES)]
    )
    return [
        coverage.EXPECTED,
        CLUSTER_PERIODS.format(
            measures=", ".join(MEASURES),
            in_period=in_period,
        ),
        UNIT_SUMS.format(
            measures=",\n           ".join(
                f"COALESCE(r.{m}, 0) AS {m}" if m in COUNTED else f"r.{m}" for m in MEASURES
            )
        ),
    ]


def _in_period(column: str, measure: str | None) -> str:
    """A slot's column in the row of its period (quarter 0: the year): the cluster's group
    in it, or one of its sums."""
    if measure is None:
        of = {slot: f"y.{slots.period(slot)}_group" for slot in slots.SLOTS}
    else:
        of = {slot: slot_sums(slot, single=True)[measure] for slot in slots.SLOTS}
    cases = " ".join(f"WHEN {slot} THEN {of[slot]}" for slot in slots.SLOTS)
    name = "group_id" if column == "group" else column
    return f"CASE p.quarter {cases} END AS {name}"
