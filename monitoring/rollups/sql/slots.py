"""The rollup statements' steps 2 and 3 (see monitoring.rollups.sql.statement): a year's values
side by
side per cluster, KPI and year, its year value, then the partial sums of alike groups slot by
slot. SQL text and its builders only; `parts(vendor)` gives monitoring.rollups.sql.statement the
pieces
of its statement.
"""

import functools

# A value's columns, and their short names in the statement.
SHORT = {"value": "v", "numerator": "n", "denominator": "d", "value_women": "w", "value_men": "m"}
QUARTERS = (1, 2, 3, 4)
SLOTS = (0, *QUARTERS)  # a year's own report (annual KPIs: quarter 0), then its quarters


def _bit(quarter: int) -> int:
    return 1 << quarter


# Step 2a: one row per cluster, KPI and year, its year's values side by side: q0_v (the year's
# own report), q1_v ... q4_v (its quarters), and so on for every column, and `mask`, the
# slots holding a value (bit 1 << quarter). One report per cluster and period, one value per
# report and KPI: each slot's values (`s0` ... `s4`) are joined on cluster, KPI and year (a
# FULL JOIN: a cluster may skip any of them). Joined, not grouped: five hash joins cost less
# than two dozen aggregates over every value.
SLOT_VALUES = """
s{q} AS (
    SELECT rs.cluster_id, m.kpi_id, rs.year, {columns}
    FROM monitoring_measurement m JOIN rs ON rs.id = m.report_id
    WHERE rs.quarter = {q} AND {values_of_reports}
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),"""
# The approved reports of a slot; their values are found through the index of their ids
# (PostgreSQL: `= ANY(ARRAY(...))`, which needs no nested loop; SQLite: IN).
VALUES_OF_REPORTS = {
    "postgresql": "m.report_id = ANY(ARRAY(SELECT id FROM rs WHERE quarter = {q}))",
    "sqlite": "m.report_id IN (SELECT id FROM rs WHERE quarter = {q})",
}
KEY = ("cluster_id", "kpi_id", "year")


def _slots_side_by_side(vendor: str) -> str:
    """The CTEs s0 ... s4 and `cv`, their values side by side (step 2a)."""
    slots = "".join(
        SLOT_VALUES.format(
            q=q,
            columns=", ".join(f"m.{column} AS q{q}_{short}" for column, short in SHORT.items()),
            values_of_reports=VALUES_OF_REPORTS[vendor].format(q=q),
        )
        for q in SLOTS
    )
    order = [*QUARTERS, 0]

    def key(column: str, joined: list[int]) -> str:
        names = [f"s{q}.{column}" for q in joined]
        return names[0] if len(names) == 1 else f"COALESCE({', '.join(names)})"

    joins = f"s{order[0]}"
    for i, q in enumerate(order[1:], start=1):
        on = " AND ".join(f"s{q}.{column} = {key(column, order[:i])}" for column in KEY)
        joins += f"\n    FULL JOIN s{q} ON {on}"
    mask = " + ".join(f"CASE WHEN s{q}.kpi_id IS NULL THEN 0 ELSE {_bit(q)} END" for q in SLOTS)
    values = ", ".join(f"q{q}_{short}" for q in SLOTS for short in SHORT.values())
    keys = ", ".join(f"{key(column, order)} AS {column}" for column in KEY)
    return f"{slots}\ncv AS (\n    SELECT {keys}, {mask} AS mask, {values}\n    FROM {joins}\n),"


def _year_value(short: str) -> str:
    """A cluster's year value of one column (step 2b): an annual KPI's own; a quarterly KPI's
    from its quarters by the time aggregation (sum, mean of those given, or the latest
    approved quarter's)."""
    quarters = [f"v.q{q}_{short}" for q in QUARTERS]
    total = "CASE WHEN {} THEN NULL ELSE {} END".format(
        " AND ".join(f"{c} IS NULL" for c in quarters),
        " + ".join(f"COALESCE({c}, 0)" for c in quarters),
    )
    given = " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in quarters)
    last = " ".join(f"WHEN v.mask & {_bit(q)} <> 0 THEN v.q{q}_{short}" for q in reversed(QUARTERS))
    return (
        f"CASE WHEN kp.source_kind = 'year' THEN v.q0_{short} "
        f"WHEN kp.time_aggregation = 'sum' THEN {total} "
        f"WHEN kp.time_aggregation = 'mean' THEN ({total}) * 1.0 / NULLIF({given}, 0) "
        f"ELSE CASE {last} END END AS qy_{short}"
    )


QUARTER_MASK = sum(_bit(q) for q in QUARTERS)
# Step 2b: each cluster year beside its groups (g0: the year's, g1-g4: the quarters'), with
# its year value, whether it counts in the year (qy_r) and whether all four quarters are in.
CLUSTER_YEARS = """
    SELECT v.*, g.g0, g.g1, g.g2, g.g3, g.g4, {year_values},
           CASE WHEN kp.source_kind = 'year' THEN v.mask & 1
                WHEN v.mask & {quarters} <> 0 THEN 1 ELSE 0 END AS qy_r,
           CASE WHEN kp.source_kind = 'year' THEN v.mask & 1
                WHEN v.mask & {quarters} = {quarters} THEN 1 ELSE 0 END AS qy_c
    FROM cv v
    JOIN kp ON kp.id = v.kpi_id
    JOIN cgy g ON g.cluster_id = v.cluster_id AND g.year = v.year"""

# The partial sums of one slot (a quarter, or the year: "y") over the cluster years of `cy`.
MEASURES = ["nr", "sv", "cv", "mnv", "mxv", "sn", "sd", "sw", "sm", "yes", "complete"]


def _slot_partials(slot) -> str:
    q = f"cy.q{slot}_"
    reporting = f"SUM({q}r)" if slot == "y" else f"SUM(cy.mask & {_bit(slot)}) / {_bit(slot)}"
    complete = f"SUM({q}c)" if slot == "y" else reporting
    return ", ".join(
        [
            f"{reporting} AS a{slot}_nr",
            f"SUM({q}v) AS a{slot}_sv",
            f"COUNT({q}v) AS a{slot}_cv",
            f"MIN({q}v) AS a{slot}_mnv",
            f"MAX({q}v) AS a{slot}_mxv",
            f"SUM({q}n) AS a{slot}_sn",
            f"SUM({q}d) AS a{slot}_sd",
            f"SUM({q}w) AS a{slot}_sw",
            f"SUM({q}m) AS a{slot}_sm",
            f"SUM(CASE WHEN {q}v = 1 THEN 1 ELSE 0 END) AS a{slot}_yes",
            f"{complete} AS a{slot}_complete",
        ]
    )


def _unpivot(measure: str) -> str:
    """A slot's partial sum (or its group) in the row of its period: quarter 0 is the year."""

    def column(q: int) -> str:
        if measure == "gid":
            return f"ga.g{q}"
        return f"ga.a{'y' if q == 0 else q}_{measure}"

    slots = " ".join(f"WHEN {q} THEN {column(q)}" for q in SLOTS)
    return f"CASE p.quarter {slots} END AS {measure}"


@functools.cache  # the same text for every statement: built once per database vendor
def parts(vendor: str) -> dict[str, str]:
    """The pieces of steps 2 and 3 that monitoring.rollups.sql.statement.PARTIAL_SUMS is formatted
    with."""
    return {
        "groups_of_slots": ", ".join(
            f"MAX(CASE WHEN p.quarter = {q} THEN cg.gid END) AS g{q}" for q in SLOTS
        ),
        "slots": _slots_side_by_side(vendor),
        "cluster_years": CLUSTER_YEARS.format(
            year_values=", ".join(_year_value(short) for short in SHORT.values()),
            quarters=QUARTER_MASK,
        ),
        "slot_partials": ",\n    ".join(_slot_partials(slot) for slot in ("y", *QUARTERS)),
        "unpivot": ", ".join(_unpivot(measure) for measure in ["gid", *MEASURES]),
        "sums": ", ".join(
            f"{'MIN' if m == 'mnv' else 'MAX' if m == 'mxv' else 'SUM'}({m}) AS {m}"
            for m in MEASURES
        ),
    }
