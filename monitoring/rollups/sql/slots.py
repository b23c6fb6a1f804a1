"""The five slots of a year that the rollup statements name their columns by.

A year is read as five slots: slot 0, the year's own report (annual KPIs report there), and
slots 1 to 4, its quarters. Two prefixes name a slot's columns:

- `reported(slot)`: the values a cluster reported in the slot (`annual_value`, `q1_value`,
  ...), the CTEs that read them (`annual_values`, `q1_values`, ...);
- `period(slot)`: what belongs to the slot's period (`year_group`, `q1_group`, ...;
  `year_value_sum`, `q1_value_sum`, ...): for slot 0, the year, whose value a quarterly KPI
  forms from its quarters.

`bit(slot)` is the slot's bit in `reported_slots`, the mask of the slots a cluster year holds
a value in.
"""

QUARTERS = (1, 2, 3, 4)
SLOTS = (0, *QUARTERS)  # a year's own report (annual KPIs: quarter 0), then its quarters

# The columns of a reported value (monitoring_measurement), in the order the statements list them.
VALUE_COLUMNS = ("value", "numerator", "denominator", "value_women", "value_men")


def reported(slot: int) -> str:
    """The prefix of the values reported in the slot: `annual` (the year's report) or `qN`."""
    return "annual" if slot == 0 else f"q{slot}"


def period(slot: int) -> str:
    """The prefix of what belongs to the slot's period: `year` or `qN`."""
    return "year" if slot == 0 else f"q{slot}"


def values_cte(slot: int) -> str:
    """The CTE holding the values reported in the slot (step 2a)."""
    return f"{reported(slot)}_values"


def bit(slot: int) -> int:
    return 1 << slot


QUARTER_BITS = sum(bit(q) for q in QUARTERS)  # the mask of a year whose four quarters are in
