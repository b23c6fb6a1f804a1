"""Step 3a of the rollup statements: the cluster years of alike groups, added up slot by slot.

Clusters that keep their group all year share one row per KPI and year. Every aggregation of a
KPI is later built from these sums, exactly (a mean is sum / count, a ratio the sum of
numerators over the sum of denominators, never a mean of percentages).

Input CTEs: `cluster_years`. Rows: one per KPI, year and combination of groups (the groups of
the year and of its quarters). Columns of `group_sums`: kpi_id, year, year_group, q1_group ...
q4_group; then, for each period of the year (year, q1 ... q4), its partial sums named after
MEASURES: year_reporting, year_value_sum, year_value_count, year_value_min, year_value_max,
year_numerator_sum, year_denominator_sum, year_women_sum, year_men_sum, year_yes,
year_complete; q1_reporting ...
"""

from monitoring.rollups.sql import slots

# the heading of its CTEs in the assembled statement
STEP = "step 3a: the cluster years of alike groups, added up slot by slot"

# The partial sums of a group, the columns of monitoring_rolluppartial, and how the partial
# sums of several groups add up into one.
MEASURES = {
    "reporting": "SUM",  # clusters with a value
    "value_sum": "SUM",
    "value_count": "SUM",
    "value_min": "MIN",
    "value_max": "MAX",
    "numerator_sum": "SUM",
    "denominator_sum": "SUM",
    "women_sum": "SUM",
    "men_sum": "SUM",
    "yes": "SUM",  # clusters answering yes (value 1)
    "complete": "SUM",  # clusters with four approved quarters
}

GROUP_SUMS = """\
group_sums AS (
    SELECT y.kpi_id, y.year, {groups},
           {sums}
    FROM cluster_years y
    GROUP BY y.kpi_id, y.year, {groups}
)"""


def ctes() -> list[str]:
    """Step 3a's CTE."""
    groups = ", ".join(f"y.{slots.period(slot)}_group" for slot in slots.SLOTS)
    sums = ",\n\n           ".join(_sums(slot) for slot in slots.SLOTS)
    return [GROUP_SUMS.format(groups=groups, sums=sums)]


def _sums(slot: int) -> str:
    """The partial sums of one period of the year (slot 0: the year's, from the year values)."""
    period = slots.period(slot)

    def of(column: str) -> str:
        return f"y.{period}_{column}"

    if slot == 0:
        reporting, complete = f"SUM({of('reporting')})", f"SUM({of('complete')})"
    else:
        reporting = f"SUM(y.reported_slots & {slots.bit(slot)}) / {slots.bit(slot)}"
        complete = reporting  # a quarter is complete when it is in
    sums = {
        "reporting": reporting,
        "value_sum": f"SUM({of('value')})",
        "value_count": f"COUNT({of('value')})",
        "value_min": f"MIN({of('value')})",
        "value_max": f"MAX({of('value')})",
        "numerator_sum": f"SUM({of('numerator')})",
        "denominator_sum": f"SUM({of('denominator')})",
        "women_sum": f"SUM({of('value_women')})",
        "men_sum": f"SUM({of('value_men')})",
        "yes": f"SUM(CASE WHEN {of('value')} = 1 THEN 1 ELSE 0 END)",
        "complete": complete,
    }
    assert sums.keys() == MEASURES.keys()
    return ",\n           ".join(f"{sums[m]} AS {period}_{m}" for m in MEASURES)
