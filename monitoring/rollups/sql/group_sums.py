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
    """The partial sums of one period of the year, named (slot 0: the year's)."""
    sums = slot_sums(slot)
    return ",\n           ".join(f"{sums[m]} AS {slots.period(slot)}_{m}" for m in MEASURES)


def slot_sums(slot: int, *, single: bool = False) -> dict[str, str]:
    """Each measure of one period of the year (slot 0: the year's, from the year values), by
    name: summed over the cluster years of a group, or (`single`) of one cluster year alone
    (monitoring.rollups.sql.cluster_sums), where a sum is the value itself and a count 0 or 1.
    """
    period = slots.period(slot)

    def of(column: str) -> str:
        return f"y.{period}_{column}"

    def total(how: str, expression: str) -> str:
        return expression if single else f"{how}({expression})"

    def count(expression: str) -> str:
        if single:
            return f"CASE WHEN {expression} IS NULL THEN 0 ELSE 1 END"
        return f"COUNT({expression})"

    if slot == 0:
        reporting, complete = total("SUM", of("reporting")), total("SUM", of("complete"))
    else:
        # (one cluster year's in parentheses: `/` binds before `&`)
        in_slot = f"y.reported_slots & {slots.bit(slot)}"
        in_slot = f"({in_slot})" if single else f"SUM({in_slot})"
        reporting = f"{in_slot} / {slots.bit(slot)}"
        complete = reporting  # a quarter is complete when it is in
    sums = {
        "reporting": reporting,
        "value_sum": total("SUM", of("value")),
        "value_count": count(of("value")),
        "value_min": total("MIN", of("value")),
        "value_max": total("MAX", of("value")),
        "numerator_sum": total("SUM", of("numerator")),
        "denominator_sum": total("SUM", of("denominator")),
        "women_sum": total("SUM", of("value_women")),
        "men_sum": total("SUM", of("value_men")),
        "yes": total("SUM", f"CASE WHEN {of('value')} = 1 THEN 1 ELSE 0 END"),
        "complete": complete,
    }
    assert sums.keys() == MEASURES.keys()
    return sums
