#!/usr/bin/env python
"""Where a full run's time goes: one year's rollup statement timed step by step.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clusterboard_bench \
    .venv/bin/python bench/rollup_steps.py --year 2024

Runs on a database bench/rollups.py built and left behind (DATABASE_URL names it; nothing is
kept: every statement runs in a transaction rolled back). A full run's task recomputes one
year with two statements (monitoring.rollups.engine.recompute): the partial sums of the groups of
alike clusters (`partials_insert_statement`, steps 0 to 4 of monitoring.rollups.sql.statement),
then the totals added up from them (`totals_insert_statement`).

The first statement is timed cut after each of its steps, the step's CTE materialized and
counted (so PostgreSQL computes all its columns), with the engine's planner settings:

    read          the year's approved values, annual_values, q1_values ... q4_values (step
                  2a), one after another
    side_by_side  ... joined side by side per cluster, KPI and year (values_side_by_side)
    year_values   ... beside each cluster's groups (cluster_groups, step 1), with its year
                  value (cluster_years, step 2b)
    slot_sums     ... added up by alike groups, slot by slot (group_sums, step 3a)
    periods       ... each slot in its period and group (period_sums, step 3b)
    coverage      ... beside what each group is expected to report and its targets
                  (partial_sums, step 4)
    partials      the whole statement, its rows inserted (after the year's old ones deleted)
    totals        the second statement alone: the totals of every level added up from the
                  partial sums just written, inserted (after the old ones deleted)

Each figure is cumulative (a step includes the ones before it; materializing a CTE changes
the plan a little, so neighbouring figures may come out in either order) and the best of
`--repeat`; beside it, the rows the step counted or wrote.
`floor_share` is the benchmark's floor (bench/rollups.py FLOOR_SQL, every year) divided by
the number of years: what one year of the floor costs. The last line sums it up:
`read_s=... side_by_side_s=... ... floor_share_s=...`.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

# (name, the CTE the statement is cut after)
STEPS = [
    ("read", None),  # the slots' values one after another, not joined
    ("side_by_side", "values_side_by_side"),
    ("year_values", "cluster_years"),
    ("slot_sums", "group_sums"),
    ("periods", "period_sums"),
    ("coverage", "partial_sums"),
]


def cut_after(select: str, cte: str | None) -> str:
    """The partial sums' SELECT ending after `cte` (materialized) with a count of its rows."""
    from monitoring.rollups.sql.slots import SLOTS, values_cte

    body = select[: select.rindex("\nSELECT ")]  # the CTEs, without the final SELECT
    if cte is None:  # the slots' values, annual_values ... q4_values, one after another
        body = body[: body.index("\nvalues_side_by_side AS (")].rstrip().rstrip(",")
        slots = " UNION ALL ".join(f"SELECT cluster_id FROM {values_cte(q)}" for q in SLOTS)
        return f"{body}\nSELECT count(*) FROM ({slots}) slots"
    marker = f"\n{cte} AS ("
    if marker not in body and f"\n{cte} AS MATERIALIZED (" not in body:
        raise SystemExit(f"the statement has no CTE {cte!r}: update STEPS")
    body = body.replace(marker, f"\n{cte} AS MATERIALIZED (")
    return f"{body}\nSELECT count(*) FROM {cte}"


class Step(NamedTuple):
    seconds: float  # the best of the repeats
    rows: int  # what the cut statement counted, or the rows inserted


def timed(repeat: int, statements: list[tuple[str, object]]) -> Step:
    """Run the statements in a transaction rolled back, with the engine's planner settings,
    `repeat` times: the best time of the last one (those before it prepare it) and its count
    (or the rows it wrote)."""
    from django.db import connection, transaction

    from monitoring.rollups.engine import _plan_for_the_statement

    *before, (sql, params) = statements
    times, rows = [], 0
    for _ in range(repeat):
        with transaction.atomic(), connection.cursor() as cursor:
            _plan_for_the_statement()
            for prepare in before:
                cursor.execute(*prepare)
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchone()[0] if cursor.description else cursor.rowcount
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return Step(min(times), rows)


def measure(year: int, repeat: int) -> dict[str, Step]:
    """Each step of one year's statements, timed (see the docstring), and the floor's share."""
    from bench.rollups import FLOOR_SQL
    from monitoring.rollups.sql.statement import (
        Scope,
        partials_insert_statement,
        totals_insert_statement,
    )
    from scorecards.models import Period

    periods = list(Period.objects.filter(year=year).values_list("pk", flat=True))
    scope = Scope(period_ids=tuple(periods))
    insert, params = partials_insert_statement(scope)
    select = insert.split("\n", 1)[1]  # the statement without its INSERT INTO line

    def emptied(table: str):  # the year's rows, deleted first as the engine does
        return f"DELETE FROM {table} WHERE period_id = ANY(%s)", [periods]

    figures = {name: timed(repeat, [(cut_after(select, cte), params)]) for name, cte in STEPS}
    partials = [emptied("monitoring_rolluppartial"), (insert, params)]
    figures["partials"] = timed(repeat, partials)
    # the totals are added up from the partial sums just written
    totals = [*partials, emptied("monitoring_rollup"), totals_insert_statement(scope)]
    figures["totals"] = timed(repeat, totals)
    years = Period.objects.values("year").distinct().count()
    floor = timed(2, [(FLOOR_SQL, None)])
    figures["floor_share"] = Step(floor.seconds / years, floor.rows)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="the year to time (default: the middle one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a database bench/rollups.py built: see above.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from scorecards.models import Period

    years = sorted(set(Period.objects.values_list("year", flat=True)))
    if not years:
        raise SystemExit("no periods: build the world with bench/rollups.py first")
    year = args.year or years[len(years) // 2]
    figures = measure(year, args.repeat)
    for name, step in figures.items():
        print(f"  {name:<13} {step.seconds:.3f} s  ({step.rows:,} rows)")
    print(f"year {year}: " + " ".join(f"{k}_s={v.seconds:.3f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
