"""Step 2b of the rollup statements: each cluster year with its groups and its year value.

A cluster's year value is formed from its own values, time first (the rollup contract,
docs/architecture.md): an annual KPI's is the year's own report's; a quarterly KPI's is formed
from its quarters by the KPI's time aggregation (the sum, the mean of the quarters given, or
the latest approved quarter's), numerators and denominators apart.

Input CTEs: `values_side_by_side`, `kpis`, `cluster_year_groups`. Rows: one per cluster, KPI
and year that holds a value. Columns of `cluster_years`: those of `values_side_by_side`;
year_group, q1_group ... q4_group (the cluster's groups); the year value's columns
(year_value, year_numerator, year_denominator, year_value_women, year_value_men);
year_reporting (1 when the cluster counts as reporting in the year) and year_complete (1 when
its four quarters are all in, for a quarterly KPI; for an annual one, as year_reporting).
"""

from monitoring.rollups.sql import slots

# the heading of its CTEs in the assembled statement
STEP = "step 2b: each cluster year with its groups and its year value"

CLUSTER_YEARS = """\
-- (materialized: each year value is worked out once, not once for each sum that reads it)
cluster_years AS MATERIALIZED (
    SELECT v.*,
           {groups},
           {year_values},
           CASE WHEN k.source_kind = 'year' THEN v.reported_slots & 1
                WHEN v.reported_slots & {quarters} <> 0 THEN 1 ELSE 0 END AS year_reporting,
           CASE WHEN k.source_kind = 'year' THEN v.reported_slots & 1
                WHEN v.reported_slots & {quarters} = {quarters} THEN 1 ELSE 0 END AS year_complete
    FROM values_side_by_side v
    JOIN kpis k ON k.id = v.kpi_id
    JOIN cluster_year_groups g ON g.cluster_id = v.cluster_id AND g.year = v.year
)"""

YEAR_VALUE = """\
CASE WHEN k.source_kind = 'year' THEN v.{annual}
                WHEN k.time_aggregation = 'sum' THEN {total}
                WHEN k.time_aggregation = 'mean' THEN ({total}) * 1.0 / NULLIF({given}, 0)
                ELSE CASE {latest} END
           END AS {name}"""


def ctes() -> list[str]:
    """Step 2b's CTE."""
    return [
        CLUSTER_YEARS.format(
            groups=", ".join(f"g.{slots.period(slot)}_group" for slot in slots.SLOTS),
            year_values=",\n           ".join(_year_value(c) for c in slots.VALUE_COLUMNS),
            quarters=slots.QUARTER_BITS,
        )
    ]


def _year_value(column: str) -> str:
    """A cluster's year value of one value column."""
    quarters = [f"v.{slots.reported(q)}_{column}" for q in slots.QUARTERS]
    total = "CASE WHEN {} THEN NULL ELSE {} END".format(
        " AND ".join(f"{c} IS NULL" for c in quarters),
        " + ".join(f"COALESCE({c}, 0)" for c in quarters),
    )
    given = " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in quarters)
    latest = " ".join(
        f"WHEN v.reported_slots & {slots.bit(q)} <> 0 THEN v.{slots.reported(q)}_{column}"
        for q in reversed(slots.QUARTERS)
    )
    return YEAR_VALUE.format(
        annual=f"{slots.reported(0)}_{column}",
        total=total,
        given=given,
        latest=latest,
        name=f"{slots.period(0)}_{column}",
    )
