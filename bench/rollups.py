#!/usr/bin/env python
"""Rollup engine benchmark: a synthetic world, the read floor, a full run, 50 approvals, memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clusterboard \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    .venv/bin/python bench/rollups.py --clusters 5000 --kpis 30 --periods 40

DATABASE_URL names the server (and the user): the benchmark drops and recreates its OWN
database on it (`--db-name`, default clusterboard_bench), migrates it with `manage.py migrate`
and leaves it behind for inspection. REDIS_URL is the broker of the one Celery worker (-c 1)
it starts on that database; its tasks go to a queue of their own, deleted at the end.

Measured, in this order:
(a) floor_s: the one read-only statement every engine must pay for: approved quarterly values
    grouped by cluster, KPI and year with the sums the engine needs (value, numerator,
    denominator, count), all rows consumed (SELECT count(*) FROM (...)); warm, best of 2.
(b) full_s: `run_start()` (one task per year, all KPIs) until the run is finished, with the real
    engine and the worker, writes included. Run twice: into an empty table, then again over
    the rows of the first run (what the nightly job does); full_s is the second.
    EXPLAIN (ANALYZE, BUFFERS) of the engine's statement for one year (a task) and for one
    quarter with its year (an approval).
(c) `--approvals` single-report approvals (reports prepared as submitted), each timed from
    its commit until the new numbers are visible at region level (the region row of the
    report's first KPI counts one more reporting cluster): p50 and p95.
(e) with `--two-workers`, after (d): a second worker process joins the first and the full run
    is timed again (full_two_s), with the speed-up over one (two worker machines would do no
    better on this 2-core machine, where PostgreSQL shares the same cores).
(d) peak_rss_mb: the sum of VmHWM (peak resident set) of the worker's processes (the main
    process and its pool child; shared copy-on-write pages count twice, so an upper bound).

The last line is the summary: full_s=... floor_s=... ratio=... incremental_p50_s=...
incremental_p95_s=... peak_rss_mb=...   Targets: ratio <= 2, incremental p95 <= 1 s,
peak RSS <= 300 MB.

The world is built by bench/world.py's `build_world()`. `--reuse` measures again on the world a
previous run left (migrated first, so a newer commit's tables are there): the reports that run
approved are put back to submitted and their quarter and its year recomputed; `--skip-full`
leaves out (b) and measures the approvals on the rows there are.
"""

import argparse
import contextlib
import functools
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import database_url, recreate_database  # noqa: E402
from bench.figures import percentile, say  # noqa: E402
from bench.worker import Worker  # noqa: E402
from bench.world import build_world  # noqa: E402

FLOOR_SQL = """
SELECT count(*) FROM (
    SELECT r.cluster_id, m.kpi_id, p.year,
           SUM(m.value) AS value, SUM(m.numerator) AS numerator,
           SUM(m.denominator) AS denominator, COUNT(*) AS n
    FROM monitoring_measurement m
    JOIN monitoring_report r ON r.id = m.report_id
    JOIN scorecards_period p ON p.id = r.period_id
    WHERE r.state = 'approved' AND p.kind = 'quarter'
    GROUP BY r.cluster_id, m.kpi_id, p.year
) floor
"""


def timed_query(cursor, sql: str, params=None) -> float:
    started = time.perf_counter()
    cursor.execute(sql, params)
    cursor.fetchall()
    return time.perf_counter() - started


def full_run(label: str, timeout: float) -> tuple[float, int]:
    from monitoring.models import Rollup, RollupRun
    from monitoring.rollups.runs import run_progress, run_start

    started = time.perf_counter()
    run = run_start()
    while True:
        run.refresh_from_db()
        if run.finished_at:
            break
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"the full run did not finish in {timeout:.0f} s")
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    progress = run_progress(run)
    rows = Rollup.objects.count()
    say(
        f"  {label}: {elapsed:.1f} s wall ({progress.elapsed_s:.1f} s by the run), "
        f"{progress.done} done, {progress.failed} failed, {rows} rollup rows"
    )
    if run.status != RollupRun.Status.DONE:
        raise SystemExit(f"the full run failed: {progress.errors}")
    return elapsed, rows


def explain_statement(period_ids: list[int], groups_of: list[int] | None = None) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the engine's two statements for these periods (every KPI):
    the groups' partial sums (every group, or the groups of `groups_of`), then the totals
    added up from them; after deleting the rows they replace, in a transaction rolled back."""
    from django.db import connection, transaction

    from monitoring.models import Rollup, RollupPartial
    from monitoring.rollups.engine import _plan_for_the_statement
    from monitoring.rollups.sql.statement import (
        Scope,
        partials_insert_statement,
        partials_replace_statement,
        totals_insert_statement,
    )

    scope = Scope(period_ids=tuple(period_ids), groups_of=groups_of and tuple(groups_of))
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        if groups_of is None:
            RollupPartial.objects.filter(period_id__in=period_ids).delete()
        Rollup.objects.filter(period_id__in=period_ids).delete()
        partials = partials_insert_statement if groups_of is None else partials_replace_statement
        for build in (partials, totals_insert_statement):
            # the engine's own settings, as it plans each statement
            _plan_for_the_statement()
            sql, params = build(scope)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        transaction.set_rollback(True)
    return "\n\n".join(plans)


def explain(ids: dict) -> None:
    """EXPLAIN ANALYZE of the engine's statements for one year (a full run's task) and for one
    quarter and its year, the group of one cluster (an approval)."""
    from monitoring.models import Report
    from scorecards.models import Period

    quarter = Period.objects.get(pk=ids["quarters"][-1])
    year = list(Period.objects.filter(year=quarter.year).values_list("pk", flat=True))
    say(f"\nEXPLAIN (ANALYZE, BUFFERS), every KPI, {quarter.year} (one task of a full run):")
    say(explain_statement(year) + "\n")
    periods = [quarter.pk, Period.objects.get(kind="year", year=quarter.year).pk]
    cluster = Report.objects.filter(period=quarter).values_list("cluster_id", flat=True)[0]
    say(f"EXPLAIN (ANALYZE, BUFFERS), every KPI, {quarter} and its year, one group (approval):")
    say(explain_statement(periods, groups_of=[cluster]) + "\n")


def _now_into(times: list[float]) -> None:
    times.append(time.perf_counter())


def approvals(report_ids: list[int]) -> list[float]:
    """Approve each report; time from its commit until its region row counts it."""
    from django.db import transaction

    from accounts.models import Role, User
    from monitoring.models import Report, Rollup
    from monitoring.reports.services import report_transition

    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    latencies = []
    for report_id in report_ids:
        report = Report.objects.select_related("cluster").get(pk=report_id)
        kpi_id = report.measurements.order_by("kpi_id").values_list("kpi_id", flat=True)[0]
        region_id = report.cluster.country.regions.order_by("pk").values_list("pk", flat=True)[0]
        row = Rollup.objects.filter(
            kpi_id=kpi_id, period_id=report.period_id, level="region", unit_id=region_id
        )
        before = row.values_list("clusters_reporting", flat=True).first() or 0
        committed: list[float] = []
        with transaction.atomic():
            transaction.on_commit(functools.partial(_now_into, committed))
            report_transition(report=report, action="approve", user=admin)
        deadline = time.perf_counter() + 120
        while (row.values_list("clusters_reporting", flat=True).first() or 0) <= before:
            if time.perf_counter() > deadline:
                raise SystemExit(f"approval of report {report_id} not visible after 120 s")
            time.sleep(0.005)
        latencies.append(time.perf_counter() - committed[0])
    return latencies


def new_world(args) -> dict:
    """Build the world of the arguments' size (bench/world.py) and vacuum it; its ids."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        ids = build_world(
            cursor,
            clusters=args.clusters,
            kpis=args.kpis,
            periods=args.periods,
            submitted=min(args.approvals, args.clusters),
        )
        built = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM monitoring_measurement")
        measurements = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('monitoring_measurement'))")
        size = cursor.fetchone()[0]
    say(
        f"  built in {built:.1f} s, vacuumed in {time.perf_counter() - started - built:.1f} s: "
        f"{measurements:,} measurements ({size} with indexes)"
    )
    return ids


def reused_world(approvals: int) -> dict:
    """The ids of the world a previous run left, its approved reports put back to submitted
    (their transitions deleted) and their quarter and year recomputed."""
    from django.db.models import Max

    from monitoring.models import Report, ReportTransition
    from monitoring.rollups.engine import recompute
    from scorecards.models import Period

    started = time.perf_counter()
    approved = ReportTransition.objects.filter(by__username="bench-admin", action="approve")
    back = set(approved.values_list("report_id", flat=True))
    approved.delete()
    Report.objects.filter(pk__in=back).update(state=Report.State.SUBMITTED)
    submitted = Report.objects.filter(state=Report.State.SUBMITTED)
    last = submitted.aggregate(last=Max("period_id"))["last"]
    if last is None:
        raise SystemExit("--reuse: this database holds no report to approve; build it again")
    recompute(period_ids=[last])  # the quarter and its year, whole
    quarters = Period.objects.filter(kind="quarter", reports__isnull=False).distinct()
    ids = {
        "quarters": sorted(quarters.values_list("pk", flat=True)),
        "submitted_reports": list(
            submitted.order_by("cluster_id").values_list("pk", flat=True)[:approvals]
        ),
    }
    say(
        f"  reused: {len(back)} reports put back to submitted, {len(ids['submitted_reports'])} "
        f"to approve, their quarter recomputed in {time.perf_counter() - started:.1f} s"
    )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=5000)
    parser.add_argument("--kpis", type=int, default=30)
    parser.add_argument("--periods", type=int, default=40, help="quarters")
    parser.add_argument("--approvals", type=int, default=50)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 200 clusters, 6 KPIs, 8 quarters"
    )
    parser.add_argument("--db-name", default="clusterboard_bench")
    parser.add_argument("--two-workers", action="store_true", help="also time a full run on two")
    parser.add_argument("--reuse", action="store_true", help="measure again on the last world")
    parser.add_argument("--skip-full", action="store_true", help="no full run (with --reuse)")
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds a full run may take at most"
    )
    args = parser.parse_args()
    if args.quick:
        args.clusters, args.kpis, args.periods, args.approvals = 200, 6, 8, 10
    base_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not base_url or not base_url.startswith("postgres") or not redis_url:
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: see the docstring.")

    url = database_url(base_url, args.db_name)
    queue = f"bench-rollups-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    say(
        f"world: {args.clusters} clusters, {args.kpis} KPIs, {args.periods} quarters "
        f"= {args.clusters * args.kpis * args.periods:,} approved values; database {args.db_name}"
    )
    started = time.perf_counter()
    if not args.reuse:
        recreate_database(base_url, args.db_name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    done = "migrated" if args.reuse else "created and migrated"
    say(f"  database {done} in {time.perf_counter() - started:.1f} s")

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from config.celery import app

    if app.conf.task_always_eager or app.conf.task_default_queue != queue:
        raise SystemExit(
            "config.settings.test must read CELERY_TASK_ALWAYS_EAGER and "
            "CELERY_TASK_DEFAULT_QUEUE from the environment: refusing to send tasks elsewhere"
        )

    ids = reused_world(args.approvals) if args.reuse else new_world(args)
    # (a) the floor
    with connection.cursor() as cursor:
        floor_runs = [timed_query(cursor, FLOOR_SQL) for _ in range(3)]
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        serial = min(timed_query(cursor, FLOOR_SQL) for _ in range(2))
        cursor.execute("RESET max_parallel_workers_per_gather")
    floor_s = min(floor_runs[1:])
    say(
        f"(a) floor: {floor_s:.3f} s warm (first run {floor_runs[0]:.3f} s; "
        f"without parallel workers {serial:.3f} s)"
    )

    worker = Worker(env, queue, Path(f"/tmp/{queue}.log"))
    try:
        worker.wait_ready()
        # (b) the full recompute, into an empty table and then over existing rows
        first_s = full_s = rows = None
        if not args.skip_full:
            say("(b) full recompute with one worker process:")
            first_s, _rows = full_run("into an empty table", args.timeout)
            full_s, rows = full_run("over the existing rows (nightly)", args.timeout)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT level, count(*) FROM monitoring_rollup GROUP BY level ORDER BY 2 DESC"
            )
            by_level = ", ".join(f"{lv} {n:,}" for lv, n in cursor)
            cursor.execute("SELECT count(*) FROM monitoring_clusterrollup")
            prepared = cursor.fetchone()[0]
            say(f"  rollup rows by level: {by_level}; prepared cluster rows {prepared:,}")
        explain(ids)
        # (c) approvals
        latencies = approvals(ids["submitted_reports"][: args.approvals])
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        say(
            f"(c) {len(latencies)} approvals, commit -> region level: p50 {p50:.3f} s, "
            f"p95 {p95:.3f} s, max {max(latencies):.3f} s"
        )
    finally:
        worker.stop()
        with contextlib.suppress(Exception):
            import redis

            client = redis.Redis.from_url(redis_url)
            for key in list(client.scan_iter(f"*{queue}*")):
                client.delete(key)
    peak_mb = worker.peak_hwm_kb / 1024
    two = ""
    if args.two_workers:
        workers = [Worker(env, queue, Path(f"/tmp/{queue}-{n}.log")) for n in range(2)]
        try:
            for each in workers:
                each.wait_ready()
            say("(e) full recompute with two worker processes:")
            full_two_s, _rows = full_run("over the existing rows (nightly)", args.timeout)
        finally:
            for each in workers:
                each.stop()
        speedup = "" if full_s is None else f" speedup={full_s / full_two_s:.2f}"
        two = f" full_two_workers_s={full_two_s:.2f}{speedup}"
    say(
        f"(d) worker peak RSS: {peak_mb:.0f} MB (sum of VmHWM of its processes; "
        f"highest sampled sum of VmRSS {worker.peak_rss_kb / 1024:.0f} MB); log {worker.log}"
    )
    full = "full_s=(not run) "
    if full_s is not None:
        say(f"    full run into an empty table: {first_s:.1f} s; rollup rows: {rows:,}")
        full = f"full_s={full_s:.2f} ratio={full_s / floor_s:.2f} "
    say(
        f"{full}floor_s={floor_s:.2f} incremental_p50_s={p50:.3f} "
        f"incremental_p95_s={p95:.3f} peak_rss_mb={peak_mb:.0f}" + two
    )


if __name__ == "__main__":
    main()
