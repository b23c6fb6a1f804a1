"""Step 2a of the rollup statements: the approved values of a year, side by side.

The values are read once, through the approved reports' ids (rule 1), one CTE per slot of the
year (monitoring.rollups.sql.slots), and joined into one row per cluster, KPI and year. One
report per cluster and period, one value per report and KPI: each slot's values are joined on
cluster, KPI and year (a FULL JOIN: a cluster may skip any of them). Joined, not grouped: five
hash joins cost less than two dozen aggregates over every value.

Input CTEs: `periods_of_the_years`. Rows and columns of its CTEs:

- `approved_reports`: the approved reports of the clusters read, in the years computed (id,
  cluster_id, year, quarter: 0 for the year's own report);
- `annual_values`, `q1_values` ... `q4_values`: the values reported in one slot (cluster_id,
  kpi_id, year, and the slot's value columns: annual_value, annual_numerator,
  annual_denominator, annual_value_women, annual_value_men; q1_value ...);
- `values_side_by_side`: one row per cluster, KPI and year (cluster_id, kpi_id, year,
  reported_slots: the mask of the slots holding a value, bit 1 << slot; then every slot's
  value columns, annual_value ... q4_value_men).
"""

from monitoring.rollups.sql import slots

# the heading of its CTEs in the assembled statement
STEP = "step 2a: the approved values of a year, side by side"

APPROVED_REPORTS = """\
approved_reports AS (
    SELECT r.id, r.cluster_id, p.year, p.quarter
    FROM monitoring_report r JOIN periods_of_the_years p ON p.id = r.period_id
    WHERE r.state = 'approved' AND {read_clusters}
)"""

SLOT_VALUES = """\
{name} AS (
    SELECT reports.cluster_id, m.kpi_id, reports.year,
           {columns}
    FROM monitoring_measurement m JOIN approved_reports reports ON reports.id = m.report_id
    WHERE reports.quarter = {slot} AND {reports_of_the_slot}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
)"""

SIDE_BY_SIDE = """\
values_side_by_side AS (
    SELECT {keys},
           {reported_slots} AS reported_slots,
           {values}
    FROM {joins}
)"""

KEY = ("cluster_id", "kpi_id", "year")
JOIN_ORDER = [*slots.QUARTERS, 0]
# why the KPIs are not joined here, said where a reader of the statement would expect them
KPIS_LATER = """\
-- (The KPIs, and which of them to recompute, are joined after step 2a: joined or filtered
-- here, they lead PostgreSQL's planner to read the values KPI by KPI through an index.)
"""


def ctes(*, read_clusters: str, id_in: str) -> list[str]:
    """Step 2a's CTEs: `read_clusters` limits the reports read (a condition on
    `r.cluster_id`); `id_in` finds the values of a slot's reports through the index of their
    ids ({column} in the ids that {subquery} selects)."""
    first, *others = (_slot_values(slot, id_in) for slot in slots.SLOTS)
    return [
        APPROVED_REPORTS.format(read_clusters=read_clusters),
        KPIS_LATER + first,
        *others,
        _side_by_side(),
    ]


def _slot_values(slot: int, id_in: str) -> str:
    prefix = slots.reported(slot)
    reports = f"SELECT id FROM approved_reports WHERE quarter = {slot}"
    return SLOT_VALUES.format(
        name=slots.values_cte(slot),
        columns=",\n           ".join(
            f"m.{column} AS {prefix}_{column}" for column in slots.VALUE_COLUMNS
        ),
        slot=slot,
        reports_of_the_slot=id_in.format(column="m.report_id", subquery=reports),
    )


def _side_by_side() -> str:
    aliases = {slot: slots.reported(slot) for slot in slots.SLOTS}

    def key(column: str, joined: list[int]) -> str:
        names = [f"{aliases[slot]}.{column}" for slot in joined]
        return names[0] if len(names) == 1 else f"COALESCE({', '.join(names)})"

    first = JOIN_ORDER[0]
    joins = f"{slots.values_cte(first)} {aliases[first]}"
    for i, slot in enumerate(JOIN_ORDER[1:], start=1):
        on = "\n        AND ".join(
            f"{aliases[slot]}.{column} = {key(column, JOIN_ORDER[:i])}" for column in KEY
        )
        joins += f"\n    FULL JOIN {slots.values_cte(slot)} {aliases[slot]}\n        ON {on}"
    reported_slots = "\n           + ".join(
        f"CASE WHEN {aliases[slot]}.kpi_id IS NULL THEN 0 ELSE {slots.bit(slot)} END"
        for slot in slots.SLOTS
    )
    values = ",\n           ".join(
        ", ".join(f"{slots.reported(slot)}_{column}" for column in slots.VALUE_COLUMNS)
        for slot in slots.SLOTS
    )
    return SIDE_BY_SIDE.format(
        keys=",\n           ".join(f"{key(column, JOIN_ORDER)} AS {column}" for column in KEY),
        reported_slots=reported_slots,
        values=values,
        joins=joins,
    )
