"""Step 3b of the rollup statements: the partial sums of each group in each period.

Each period of a year takes its slot of `group_sums` (the year its year sums, a quarter its
own), beside the group its clusters were in then. A KPI's values come from reports of its own
frequency: an annual KPI has a year and no quarters, a quarterly KPI's year is formed from its
quarters. A slot no cluster of the group reported in is no partial sum.

Input CTEs: `group_sums`, `kpis`, `periods`. Rows: one per KPI, period and group with a value.
Columns of `period_sums`: kpi_id, period_id, group_id, and the partial sums
(monitoring.rollups.sql.group_sums.MEASURES: reporting, value_sum, value_count, value_min,
value_max, numerator_sum, denominator_sum, women_sum, men_sum, yes, complete).
"""

from monitoring.rollups.sql import slots
from monitoring.rollups.sql.group_sums import MEASURES

# the heading of its CTEs in the assembled statement
STEP = "step 3b: the partial sums of each group in each period"

PERIOD_SUMS = """\
period_sums AS (
    SELECT kpi_id, period_id, group_id,
           {sums}
    FROM (
        SELECT s.kpi_id, p.id AS period_id,
               {in_period}
        FROM group_sums s
        JOIN kpis k ON k.id = s.kpi_id
        JOIN periods p ON p.year = s.year
        WHERE p.kind = 'year' OR k.source_kind = 'quarter'
    ) slot_in_period
    WHERE group_id IS NOT NULL
    GROUP BY kpi_id, period_id, group_id
    HAVING SUM(reporting) > 0  -- a slot no cluster of the group reported in is no partial sum
)"""


def ctes() -> list[str]:
    """Step 3b's CTE."""
    in_period = ",\n               ".join(_in_period(column) for column in ["group", *MEASURES])
    sums = ",\n           ".join(f"{how}({m}) AS {m}" for m, how in MEASURES.items())
    return [PERIOD_SUMS.format(sums=sums, in_period=in_period)]


def _in_period(column: str) -> str:
    """A slot's column in the row of its period (quarter 0: the year)."""
    cases = " ".join(f"WHEN {slot} THEN s.{slots.period(slot)}_{column}" for slot in slots.SLOTS)
    name = "group_id" if column == "group" else column
    return f"CASE p.quarter {cases} END AS {name}"
