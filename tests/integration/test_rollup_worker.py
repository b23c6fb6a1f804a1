"""The rollup engine with real Celery workers on Redis and PostgreSQL (DESIGN.md "How a rollup
runs"): killed workers, a broker outage, two deliveries of one task at once, a task that keeps
failing. Each outcome is compared with a clean recompute done in-process by the same engine.

The worlds come from bench/world.py's build_world (set-based SQL, every aggregation and time
aggregation, overlapping regions, clusters in two programs, targets and baselines).
"""

import base64
import contextlib
import json
import os
import signal
import time

import pytest
from django.db import connection
from kombu.exceptions import OperationalError

from accounts.models import Role
from bench.world import build_world
from core.models import RollupStale
from monitoring.models import Report, Rollup, RollupRun, RollupRunItem
from monitoring.reports.services import report_transition
from monitoring.rollups.engine import recompute
from monitoring.rollups.runs import run_items_requeue_stalled, run_start
from monitoring.tasks import MAX_ATTEMPTS, process_stale_rollups, recompute_run_item
from scorecards.models import Period
from tests.factories import UserFactory
from tests.integration.conftest import WORKER_DB_APPLICATION, wait_for

pytestmark = pytest.mark.integration

LOCK_CLASS = 7301  # monitoring.rollups.engine._lock_years: pg_advisory_xact_lock(7301, year)
FIELDS = [f.attname for f in Rollup._meta.concrete_fields if f.name not in ("id", "computed_at")]


def world(**size) -> dict:
    with connection.cursor() as cursor:
        return build_world(cursor, **size)


def rows(kpi_ids=None) -> dict[tuple, tuple]:
    """The stored rollup rows, every field but id and computed_at, by (kpi, period, unit)."""
    queryset = Rollup.objects.all()
    if kpi_ids is not None:
        queryset = queryset.filter(kpi_id__in=kpi_ids)
    return {(r[0], r[1], r[2], r[3]): r for r in queryset.values_list(*FIELDS)}


def by_year(snapshot: dict) -> dict[int, dict]:
    year_of = dict(Period.objects.values_list("pk", "year"))
    grouped: dict[int, dict] = {}
    for key, row in snapshot.items():
        grouped.setdefault(year_of[key[1]], {})[key] = row
    return grouped


def clean_rows() -> dict[tuple, tuple]:
    """Every rollup row recomputed from scratch in this process (no worker, no queue)."""
    Rollup.objects.all().delete()
    recompute()
    return rows()


def years_of(period_ids) -> list[int]:
    return sorted(set(Period.objects.filter(pk__in=period_ids).values_list("year", flat=True)))


def assert_same_rows(actual: dict, expected: dict) -> None:
    assert expected, "the clean recompute produced no rows: the world is empty"
    missing = expected.keys() - actual.keys()
    extra = actual.keys() - expected.keys()
    differ = [k for k in expected.keys() & actual.keys() if expected[k] != actual[k]]
    assert not (missing or extra or differ), (
        f"{len(missing)} rows missing, {len(extra)} extra, {len(differ)} different; e.g. "
        f"missing {sorted(missing, key=str)[:3]}, extra {sorted(extra, key=str)[:3]}, "
        f"different {[(expected[k], actual[k]) for k in differ[:2]]}"
    )


def unacked(redis) -> list[tuple[str, list]]:
    """The messages delivered to a worker and not acknowledged yet: (task name, args)."""
    messages = []
    for raw in redis.hvals("unacked"):
        message = json.loads(raw)[0]
        args = json.loads(base64.b64decode(message["body"]))[0]
        messages.append((message["headers"]["task"], args))
    return messages


def run_finished(run: RollupRun):
    run.refresh_from_db()
    return run.finished_at is not None


@contextlib.contextmanager
def year_lock_held(year: int):
    """Hold the engine's per-year lock from the test's own session: a recompute of that year
    waits inside its transaction until the block ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, year])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, year])


REFUSED = "test: rollup rows of this year refused"


@contextlib.contextmanager
def rollups_refused(year: int):
    """A year whose recompute fails in every attempt: a trigger refuses its rollup rows (and the
    transaction rolls back its partial sums with them). Dropped when the block ends."""
    periods = ", ".join(
        str(pk) for pk in Period.objects.filter(year=year).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_rollup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.period_id IN ({periods}) THEN RAISE EXCEPTION '{REFUSED}'; END IF; "
            "RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_rollup BEFORE INSERT ON monitoring_rollup "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_rollup()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_rollup ON monitoring_rollup")
            cursor.execute("DROP FUNCTION test_refuse_rollup()")


def waiting_for_year_lock(year: int) -> int:
    """How many database sessions wait for the year's lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s AND objid = %s AND objsubid = 2",
            [LOCK_CLASS, year],
        )
        return cursor.fetchone()[0]


def workers_writing_rollups() -> int:
    """How many worker sessions are running a statement on the rollup table right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND state = 'active' AND query ~ 'monitoring_rollup[^a-z_]'",
            [WORKER_DB_APPLICATION],
        )
        return cursor.fetchone()[0]


def worker_sessions_active() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND state <> 'idle'",
            [WORKER_DB_APPLICATION],
        )
        return cursor.fetchone()[0]


# --- A worker killed during a full recompute ------------------------------------------------


def test_pool_process_killed_during_a_run_task_is_redelivered_and_the_run_ends_clean(
    workers, broker
):
    ids = world(clusters=300, kpis=12, periods=12)
    worker = workers()
    years = years_of(ids["years"])
    victim = years[len(years) // 2]

    # The worker reaches the victim year's task and waits inside its transaction for the lock
    # the test holds: the task is certainly in flight when its process is killed.
    with year_lock_held(victim):
        run = run_start()
        wait_for(
            lambda: waiting_for_year_lock(victim) == 1,
            timeout=60,
            what="the worker to reach the victim year",
            workers=workers,
        )
        [pool_process] = worker.pool_processes()
        os.kill(pool_process, signal.SIGKILL)
        wait_for(
            lambda: "WorkerLostError" in worker.text(),
            timeout=30,
            what="the worker to see its pool process die",
            workers=workers,
        )
    # Acknowledged late and rejected on a lost worker, the message is delivered again, to the
    # fresh pool process the worker starts, and the run finishes.
    wait_for(lambda: run_finished(run), timeout=90, what="the run to finish", workers=workers)
    assert run.status == RollupRun.Status.DONE
    items = RollupRunItem.objects.filter(run=run)
    assert set(items.values_list("state", flat=True)) == {RollupRunItem.State.DONE}
    assert items.get(year=victim).attempts == 2  # killed once, then done
    assert worker.pool_processes() and worker.pool_processes() != [pool_process]

    assert_same_rows(rows(), clean_rows())


def test_worker_killed_during_a_run_its_year_is_queued_again_and_the_run_ends_clean(
    workers, broker, integration_env, settings
):
    ids = world(clusters=600, kpis=12, periods=24)
    first = workers("first")
    run = run_start()
    world_items = RollupRunItem.objects.filter(run=run, year__in=years_of(ids["years"]))
    # Kill the whole worker (main process and pool, SIGKILL: no warm shutdown) while it is
    # writing a year's rows, after it has finished a few.
    wait_for(
        lambda: (
            world_items.filter(state=RollupRunItem.State.DONE).count() >= 2
            and workers_writing_rollups() >= 1
        ),
        timeout=60,
        what="the worker to be writing rollups after two of the world's years",
        workers=workers,
        interval=0.01,
    )
    first.kill()
    assert world_items.exclude(state=RollupRunItem.State.DONE).exists()
    # The killed statement's session ends on its own (rolled back); then no year is half
    # written: each has all its rows or none.
    wait_for(lambda: not worker_sessions_active(), timeout=60, what="the killed session to end")
    after_kill = by_year(rows())

    # The messages still queued go to a fresh worker. The one in flight stays unacknowledged
    # in Redis until the visibility timeout; the beat sweep (called here every second, with a
    # bound of 3 s instead of the task's time limit) queues that year again once no worker
    # has begun or finished a year for that long, and the run ends.
    second = workers("second")
    settings.ROLLUP_RUN_STALL_SECONDS = 3
    started = time.monotonic()

    def swept_and_finished():
        run_items_requeue_stalled()
        return run_finished(run)

    wait_for(swept_and_finished, timeout=120, what="the run to end", workers=workers, interval=1)
    print(f"the killed run ended {time.monotonic() - started:.1f} s after a new worker started")
    assert run.status == RollupRun.Status.DONE
    assert set(world_items.values_list("state", flat=True)) == {RollupRunItem.State.DONE}
    assert max(world_items.values_list("attempts", flat=True)) <= 2
    assert "recompute_run_item" in second.text()

    # Left unacknowledged at most: the killed delivery (a no-op when due). The year queued again
    # is acknowledged when its task returns, just after it has ended the run: wait for that.
    def in_redis():
        return [args for _task, args in unacked(integration_env.redis) if args[0] == run.pk]

    wait_for(lambda: len(in_redis()) <= 1, timeout=30, what="the requeued year's acknowledgement")

    worker_rows = rows()
    clean = clean_rows()
    assert_same_rows(worker_rows, clean)
    clean_by_year = by_year(clean)
    for year, year_rows in after_kill.items():
        assert year_rows == clean_by_year.get(year), f"{year} was left half written"


# --- A broker outage ------------------------------------------------------------------------


def test_approvals_during_a_broker_outage_reach_the_rollups_through_the_sweep(workers, broker):
    ids = world(clusters=80, kpis=6, periods=8, submitted=3)
    before = clean_rows()
    workers()
    admin = UserFactory(role=Role.ADMIN)
    reports = list(Report.objects.filter(pk__in=ids["submitted_reports"]))
    assert len(reports) == 3

    broker.use_dead()
    unsent = 0
    for report in reports:
        try:
            report_transition(report=report, action="approve", user=admin)
        except OperationalError:
            unsent += 1  # the message could not be sent after the commit (see the report)
    # The approvals are committed and so are their markers, whatever happened to the messages.
    assert set(Report.objects.filter(pk__in=ids["submitted_reports"]).values_list("state")) == {
        (Report.State.APPROVED,)
    }
    quarter = reports[0].period_id
    markers = list(RollupStale.objects.order_by("pk").values_list("pk", "kpi_id", "period_id"))
    assert {(k, quarter) for _pk, k, _p in markers} == {(k, quarter) for k in ids["kpis"]}
    time.sleep(1)  # a worker is running, but nothing reached it: the markers wait
    assert list(RollupStale.objects.order_by("pk").values_list("pk", "kpi_id", "period_id")) == (
        markers
    )
    assert rows() == before

    # The broker is back; the per-minute sweep (beat) sends process_stale_rollups.
    broker.use_live()
    process_stale_rollups.delay()
    wait_for(
        lambda: not RollupStale.objects.exists() and not worker_sessions_active(),
        timeout=60,
        what="the sweep to process the markers",
        workers=workers,
    )
    after = rows()
    changed = {k for k in after.keys() & before.keys() if after[k] != before[k]}
    assert {k[2] for k in changed} >= {"country", "region", "program", "global"}
    assert {k[1] for k in changed} <= {quarter, *ids["years"]}
    assert_same_rows(after, clean_rows())
    print(f"approvals whose message could not be sent raised to the caller: {unsent} of 3")


# --- Two deliveries of the same task at the same time ---------------------------------------


def test_two_workers_recomputing_the_same_year_at_once_leave_the_clean_rows(workers, broker):
    ids = world(clusters=200, kpis=6, periods=8)
    one, two = workers("one"), workers("two")
    kpi = ids["kpis"][2]  # a ratio KPI
    [year] = years_of(ids["quarters"][:1])
    run = RollupRun.objects.create(total=1)
    RollupRunItem.objects.create(run=run, year=year)
    with connection.cursor() as cursor:  # stale rows that both must replace
        cursor.execute(
            "INSERT INTO monitoring_rollup (kpi_id, period_id, level, unit_id, value, "
            "target_derived, clusters_reporting, clusters_expected, computed_at) "
            "VALUES (%s, %s, 'global', 0, 12345, false, 99, 99, now())",
            [kpi, ids["quarters"][0]],
        )

    # Both messages are taken (one by each worker: prefetch 1, late acks) and both tasks wait
    # for the year's lock at once; then they run one after the other.
    with year_lock_held(year):
        sent = [recompute_run_item.delay(run.pk, year), recompute_run_item.delay(run.pk, year)]
        wait_for(
            lambda: waiting_for_year_lock(year) == 2,
            timeout=60,
            what="both workers to be recomputing the year",
            workers=workers,
        )
    wait_for(
        lambda: all(f"[{r.id}] succeeded" in one.text() + two.text() for r in sent),
        timeout=60,
        what="both tasks to succeed",
        workers=workers,
    )
    assert sum(f"[{r.id}] succeeded" in one.text() for r in sent) == 1
    assert sum(f"[{r.id}] succeeded" in two.text() for r in sent) == 1
    item = RollupRunItem.objects.get(run=run)
    assert (item.state, item.attempts) == (RollupRunItem.State.DONE, 2)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.DONE
    worker_rows = by_year(rows())[year]

    assert_same_rows(worker_rows, by_year(clean_rows())[year])


# --- A task that keeps failing --------------------------------------------------------------


def test_a_year_that_keeps_failing_stops_after_its_attempts_and_fails_the_run(
    workers, broker, integration_env
):
    ids = world(clusters=20, kpis=6, periods=8)
    bad = ids["kpis"][0]
    bad_year = years_of(ids["years"])[0]
    worker = workers()
    with rollups_refused(bad_year):  # for this year only, in every attempt
        run = run_start()
        wait_for(lambda: run_finished(run), timeout=90, what="the run to finish", workers=workers)

        assert run.status == RollupRun.Status.FAILED
        failed = RollupRunItem.objects.get(run=run, year=bad_year)
        assert failed.state == RollupRunItem.State.FAILED
        assert failed.attempts == MAX_ATTEMPTS
        assert REFUSED in failed.error
        others = RollupRunItem.objects.filter(run=run).exclude(year=bad_year)
        assert set(others.values_list("state", flat=True)) == {RollupRunItem.State.DONE}
        assert not Rollup.objects.filter(period__year=bad_year).exists()
        assert Rollup.objects.exclude(period__year=bad_year).filter(kpi_id=bad).exists()

        # Not a message loop: nothing is queued or unacknowledged any more, and after longer
        # than the retry delay the attempts have not moved.
        time.sleep(recompute_run_item.default_retry_delay + 1)
        failed.refresh_from_db()
        assert failed.attempts == MAX_ATTEMPTS
        assert integration_env.redis.llen(integration_env.queue) == 0
        assert not [m for m in unacked(integration_env.redis) if m[1][0] == run.pk]
        assert worker.text().count("Retry in") == MAX_ATTEMPTS - 1
