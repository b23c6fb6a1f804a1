"""Celery tasks of the monitoring room: thin wrappers that call services.

Celery with Redis delivers at least once: every task here recomputes from source rows and
is safe to run twice, or at the same time as itself (settings: late acks, prefetch 1).
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from monitoring.activities.jobs import STALL_SECONDS
from monitoring.rollups.runs import MAX_ATTEMPTS


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: e-mail reminders about reports due or waiting for review (idempotent per day)."""
    from monitoring.reports.reminders import reminders_send

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders_send(today=day)


@shared_task
def recheck_kpi_flags(kpi_id: int) -> int:
    """Queued on commit of a change to a KPI's rules: re-check its values in open reports."""
    from monitoring.reports.checks import flags_recheck_kpi

    return flags_recheck_kpi(kpi_id=kpi_id)


@shared_task
def process_stale_rollups() -> dict:
    """Recompute what the stale markers name (queued on commit; also the per-minute sweep)."""
    from monitoring.rollups.staleness import process_stale

    work = process_stale()
    if work.markers:
        process_stale_rollups.apply_async(countdown=0)  # more may have arrived meanwhile
    return {"markers": work.markers, "kpis": work.kpis, "rows": work.rows}


@shared_task(
    bind=True,
    max_retries=MAX_ATTEMPTS - 1,
    default_retry_delay=5,
    time_limit=settings.ROLLUP_TASK_TIME_LIMIT,
)
def recompute_run_item(self, run_id: int, year: int) -> None:
    """One year of a full recompute; retried a bounded number of times, then marked failed.

    On a worker the retries go through the broker; run in-process (no REDIS_URL) there is
    no broker to retry through, so the attempts are made here, one after the other.
    """
    from monitoring.rollups.runs import run_item_execute, run_item_failed

    attempts = MAX_ATTEMPTS if self.request.is_eager else 1
    for _attempt in range(attempts):
        try:
            run_item_execute(run_id=run_id, year=year)
            return
        except Exception as error:  # any failure counts as an attempt
            last_error = error
    if self.request.is_eager or self.request.retries >= self.max_retries:
        run_item_failed(run_id=run_id, year=year, error=repr(last_error))
        return
    raise self.retry(exc=last_error)


@shared_task
def nightly_full_recompute() -> int:
    """Nightly: re-derive every rollup from source."""
    from monitoring.rollups.runs import run_start

    return run_start().pk


@shared_task
def requeue_stalled_run_items() -> int:
    """Every minute: queue again the years of full runs whose worker died."""
    from monitoring.rollups.runs import run_items_requeue_stalled

    return run_items_requeue_stalled()


@shared_task
def requeue_stalled_activity_imports() -> int:
    """Every minute: send again the activity imports whose message was lost or worker died."""
    from monitoring.activities.jobs import activity_imports_requeue_stalled

    return activity_imports_requeue_stalled()


@shared_task(bind=True, max_retries=10, time_limit=STALL_SECONDS)
def run_activity_import(self, job_id: int) -> None:
    """A large activity spreadsheet, imported all or nothing (monitoring.activities.jobs)."""
    from monitoring.activities.jobs import activity_import_run

    wait = activity_import_run(job_id=job_id)
    if wait is not None and not self.request.is_eager:
        # another run has the job: ask again once it would count as stalled
        raise self.retry(countdown=wait)
