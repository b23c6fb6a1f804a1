#!/usr/bin/env python
"""Measurements partitioned by year against not partitioned (issue 20.5), on the world that
bench/rollups.py left:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python bench/partitions.py [--db-name clusterboard_bench] [--approvals 10]

`--build CLUSTERS KPIS QUARTERS` builds a world of its own first (bench/world.py; a world of
many years shows what pruning saves, where bench/rollups.py's 8 quarters are two years).

A simulation of the plan in bench/README.md, on the benchmark's own database only: the product
keeps one monitoring_measurement table. Three layouts are timed in turn, each with the engine's
own statements run in-process (monitoring.rollups.engine.recompute, every KPI):

- `plain`: the table as the product has it;
- `partitioned`: the same rows copied into a table partitioned by LIST on the period's year
  (a `year` column added, one partition per year, the same indexes), the plain table set aside
  under another name; the statements unchanged, so every partition is read;
- `pruned`: the partitioned table, and the statements told the years they read (each quarter's
  values read with `m.year BETWEEN` the first and last year of the statement's periods), so
  PostgreSQL reads the partitions of those years alone (pruned when the executor starts).

For each: one year's partial sums (what a full run's task reads every value of the year for:
its four quarters and the year), best of two after a warm-up; then `--approvals` approvals'
recomputes (the last quarter and its year, the group of one cluster), p50 and p95. The plain
table is put back at the end, whatever happens. The last line is the summary:
partition_year_s=plain/partitioned/pruned ...
"""

import argparse
import contextlib
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import point_django_at, recreate_database  # noqa: E402
from bench.figures import percentile, say  # noqa: E402
from bench.world import build_world  # noqa: E402

PLAIN = "monitoring_measurement"
SET_ASIDE = "monitoring_measurement_plain"

PARTITIONED = """
CREATE TABLE monitoring_measurement (LIKE monitoring_measurement_plain, year integer NOT NULL)
    PARTITION BY LIST (year)
"""
PARTITION = (
    "CREATE TABLE monitoring_measurement_{year} PARTITION OF monitoring_measurement "
    "FOR VALUES IN ({year})"
)
COPIED = """
INSERT INTO monitoring_measurement
SELECT m.*, p.year
FROM monitoring_measurement_plain m
JOIN monitoring_report r ON r.id = m.report_id
JOIN scorecards_period p ON p.id = r.period_id
ORDER BY m.id
"""
# the plain table's indexes, the partition key added where a unique index needs it
INDEXES = [
    "CREATE UNIQUE INDEX measurement_part_pkey ON monitoring_measurement (id, year)",
    "CREATE UNIQUE INDEX measurement_part_report_kpi "
    "ON monitoring_measurement (report_id, kpi_id, year)",
    "CREATE INDEX measurement_part_kpi ON monitoring_measurement (kpi_id)",
]
# (a range between two scalar subqueries: PostgreSQL prunes on their values when the executor
# starts, and not on `m.year = ANY(ARRAY(SELECT ...))`, which it reads every partition for)
PRUNING = (
    "WHERE m.year BETWEEN (SELECT MIN(year) FROM periods_of_the_years)\n"
    "                 AND (SELECT MAX(year) FROM periods_of_the_years)\n"
    "      AND reports.quarter = {slot}"
)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def year_partials(year_ids: list[int]) -> None:
    """A full run's reading of one year: the partial sums of every group, of the totals and of
    the splits (the statements that read every value of the year), in a transaction rolled
    back. (The task also writes the year's 7.5 million cluster rows, which reads the same
    values and costs minutes of writing the same in either layout: left out.)"""
    from django.db import transaction

    from monitoring.rollups.engine import _plan_for_the_statement, _rebuild_partials
    from monitoring.rollups.sql.statement import Scope

    with transaction.atomic():
        _plan_for_the_statement()
        _rebuild_partials(Scope(period_ids=tuple(year_ids)))
        transaction.set_rollback(True)


def measure(label: str, year_ids: list[int], quarter_id: int, clusters: list[int]) -> dict:
    """Time a year's partial sums (best of two after a warm-up) and one approval's recompute
    per cluster (the engine's, whole: partial sums of its group, totals, split and cluster
    rows)."""
    from monitoring.rollups.engine import recompute

    year_partials(year_ids)  # warm-up
    year_runs = [timed(lambda: year_partials(year_ids)) for _ in range(2)]
    recompute(period_ids=[quarter_id], groups_of=clusters[:1])  # warm-up
    approvals = [
        timed(lambda c=c: recompute(period_ids=[quarter_id], groups_of=[c])) for c in clusters
    ]
    figures = {
        "year": min(year_runs),
        "p50": percentile(approvals, 0.5),
        "p95": percentile(approvals, 0.95),
    }
    say(
        f"  {label}: one year's partial sums {figures['year']:.2f} s (runs "
        f"{', '.join(f'{t:.2f}' for t in year_runs)}); {len(approvals)} approvals p50 "
        f"{figures['p50']:.3f} s, p95 {figures['p95']:.3f} s, max {max(approvals):.3f} s"
    )
    return figures


def partitions_read(quarter_id: int, cluster_id: int) -> dict[str, int]:
    """The measurement partitions an approval's partial sums statement read, with the number of
    its scans of each that ran (a pruned scan never runs): from EXPLAIN ANALYZE, in a
    transaction rolled back."""
    from django.db import connection, transaction

    from monitoring.rollups.engine import _plan_for_the_statement, with_their_years
    from monitoring.rollups.sql.statement import Scope, partials_replace_statement

    scope = Scope(period_ids=tuple(with_their_years([quarter_id])), groups_of=(cluster_id,))
    with transaction.atomic(), connection.cursor() as cursor:
        _plan_for_the_statement()
        sql, params = partials_replace_statement(scope)
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    read: dict[str, int] = {}
    for line in plan:
        scanned = re.search(r" on (monitoring_measurement_\d+)", line)
        if scanned and "never executed" not in line:
            read[scanned.group(1)] = read.get(scanned.group(1), 0) + 1
    return read


@contextlib.contextmanager
def years_told():
    """The engine's statements read each quarter's values from the partitions of their years
    alone (side_by_side.SLOT_VALUES, as the product would spell it)."""
    from monitoring.rollups.sql import side_by_side

    unpruned = side_by_side.SLOT_VALUES
    side_by_side.SLOT_VALUES = unpruned.replace("WHERE reports.quarter = {slot}", PRUNING)
    if "m.year" not in side_by_side.SLOT_VALUES:
        raise SystemExit("side_by_side.SLOT_VALUES changed: the years cannot be told")
    try:
        yield
    finally:
        side_by_side.SLOT_VALUES = unpruned


def partition(cursor, years: list[int]) -> None:
    started = time.perf_counter()
    cursor.execute(f"ALTER TABLE {PLAIN} RENAME TO {SET_ASIDE}")
    cursor.execute(PARTITIONED)
    for year in years:
        cursor.execute(PARTITION.format(year=year))
    cursor.execute(COPIED)
    copied = time.perf_counter() - started
    for statement in INDEXES:
        cursor.execute(statement)
    cursor.execute("ANALYZE monitoring_measurement")
    sizes = []
    for year in years:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size(%s)) "
            f"FROM monitoring_measurement_{year}",
            [f"monitoring_measurement_{year}"],
        )
        count, size = cursor.fetchone()
        sizes.append(f"{year}: {count:,} rows, {size}")
    say(
        f"  partitioned: rows copied in {copied:.1f} s, indexed and analysed in "
        f"{time.perf_counter() - started - copied:.1f} s; " + "; ".join(sizes)
    )


def put_back(cursor) -> None:
    cursor.execute(f"SELECT to_regclass('{SET_ASIDE}') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
        cursor.execute(f"ALTER TABLE {SET_ASIDE} RENAME TO {PLAIN}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="clusterboard_bench")
    parser.add_argument("--approvals", type=int, default=10)
    parser.add_argument(
        "--build",
        nargs=3,
        type=int,
        metavar=("CLUSTERS", "KPIS", "QUARTERS"),
        help="build a world of this size first, in --db-name (dropped and created again)",
    )
    args = parser.parse_args()
    base_url = point_django_at(args.db_name)
    if args.build:
        recreate_database(base_url, args.db_name)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
    import django

    django.setup()
    from django.db import connection

    if args.build:
        clusters, kpis, quarters = args.build
        started = time.perf_counter()
        with connection.cursor() as cursor:
            build_world(cursor, clusters=clusters, kpis=kpis, periods=quarters)
            cursor.execute("VACUUM ANALYZE")
        say(
            f"  world of {clusters} clusters, {kpis} KPIs, {quarters} quarters built in "
            f"{time.perf_counter() - started:.0f} s"
        )

    from monitoring.models import Report
    from scorecards.models import Period

    quarter = Period.objects.filter(kind="quarter", reports__isnull=False).order_by("-pk")[0]
    year_ids = list(Period.objects.filter(year=quarter.year).values_list("pk", flat=True))
    years = sorted(set(Period.objects.values_list("year", flat=True)))
    clusters = list(
        Report.objects.filter(period=quarter, state=Report.State.APPROVED)
        .order_by("cluster_id")
        .values_list("cluster_id", flat=True)[: args.approvals]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_measurement")
        say(
            f"database {args.db_name}: {cursor.fetchone()[0]:,} measurements, years {years}; "
            f"timed: {quarter.year}'s partial sums, approvals in {quarter}"
        )
        put_back(cursor)  # a run stopped halfway left the plain table aside
    plain = measure("plain", year_ids, quarter.pk, clusters)
    try:
        with connection.cursor() as cursor:
            partition(cursor, years)
        partitioned = measure("partitioned", year_ids, quarter.pk, clusters)
        say(f"    an approval's statement read: {partitions_read(quarter.pk, clusters[0])}")
        with years_told():
            pruned = measure("pruned", year_ids, quarter.pk, clusters)
            read = partitions_read(quarter.pk, clusters[0])
        say(f"    an approval's statement read: {read}")
    finally:
        with connection.cursor() as cursor:
            put_back(cursor)
        say("  the plain table put back")
    say(
        " ".join(
            f"partition_{key}_s={plain[key]:.3f}/{partitioned[key]:.3f}/{pruned[key]:.3f}"
            for key in ("year", "p50", "p95")
        )
        + " (plain/partitioned/pruned)"
    )


if __name__ == "__main__":
    main()
