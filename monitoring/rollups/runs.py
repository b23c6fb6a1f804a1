"""Full recomputes: one task per year, their attempts and their progress."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from monitoring.models import RollupRun, RollupRunItem
from monitoring.rollups.engine import analyze_rewritten, recompute
from scorecards.models import Period

log = logging.getLogger(__name__)


def run_years() -> list[int]:
    return list(Period.objects.order_by("year").values_list("year", flat=True).distinct())


def run_start(*, user=None) -> RollupRun:
    """Create a full recompute (one item per year: years are independent, since a year is
    built from its own quarters) and queue its tasks after commit."""
    from celery import current_app

    years = run_years()
    now = timezone.now()
    with transaction.atomic():
        run = RollupRun.objects.create(started_by=user, total=len(years))
        RollupRunItem.objects.bulk_create(
            RollupRunItem(run=run, year=y, queued_at=now) for y in years
        )
        task = current_app.tasks["monitoring.tasks.recompute_run_item"]
        for year in years:
            # one callback per year, robust: a task that cannot be queued (or, run eagerly,
            # raises) is logged and does not keep the other years from running
            transaction.on_commit(_sender(task, run.pk, year), robust=True)
    if not years:
        run_finish_if_done(run_id=run.pk)
    return run


def _sender(task, run_id: int, year: int):
    def send_run_item():
        task.delay(run_id, year)

    return send_run_item


MAX_ATTEMPTS = 3


def run_item_execute(*, run_id: int, year: int) -> None:
    """Recompute one year of a run; idempotent (a second delivery recomputes and counts once).

    A message redelivered after its worker died does not count as a Celery retry, so the
    item's own attempt count bounds it: past MAX_ATTEMPTS the item is marked failed.
    """
    items = RollupRunItem.objects.filter(run_id=run_id, year=year)
    # A copy of a message already handled (queued again by the sweep, or redelivered by the
    # broker) has nothing left to do and costs no attempt.
    if not items.filter(state=RollupRunItem.State.PENDING).exists():
        return
    items.update(attempts=models.F("attempts") + 1, started_at=timezone.now())
    if items.filter(attempts__gt=MAX_ATTEMPTS).exists():
        run_item_failed(run_id=run_id, year=year, error="gave up: too many attempts")
        return
    recompute(period_ids=Period.objects.filter(year=year).values_list("pk", flat=True))
    items.update(state=RollupRunItem.State.DONE, error="", finished_at=timezone.now())
    run_finish_if_done(run_id=run_id)


def run_item_failed(*, run_id: int, year: int, error: str) -> None:
    """A task gave up after its retries: the run shows it as failed."""
    RollupRunItem.objects.filter(run_id=run_id, year=year).exclude(
        state=RollupRunItem.State.DONE
    ).update(state=RollupRunItem.State.FAILED, error=error[:2000], finished_at=timezone.now())
    run_finish_if_done(run_id=run_id)


def run_finish_if_done(*, run_id: int) -> None:
    items = RollupRunItem.objects.filter(run_id=run_id)
    if items.filter(state=RollupRunItem.State.PENDING).exists():
        return
    failed = items.filter(state=RollupRunItem.State.FAILED).exists()
    finished = RollupRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
        finished_at=timezone.now(),
        status=RollupRun.Status.FAILED if failed else RollupRun.Status.DONE,
    )
    if finished:
        analyze_rewritten()  # a full run rewrote them


def run_items_requeue_stalled() -> int:
    """Queue again the pending items of unfinished runs when no item anywhere has begun or
    finished for longer than a task may run (ROLLUP_RUN_STALL_SECONDS, above the task's hard
    time limit); returns how many were queued.

    A worker killed as a whole leaves its task's message unacknowledged in Redis until the
    visibility timeout, and a Redis restarted without persistence loses it: the run would
    wait for ever. While any worker works on runs, items begin and finish within the time
    limit, so a silence that long means nobody is. Each item is queued again at most once per
    bound; a copy delivered twice does nothing the second time, and every delivery that
    begins counts an attempt, so attempts stay capped (run_item_execute)."""
    from celery import current_app

    now = timezone.now()
    bound = now - datetime.timedelta(seconds=settings.ROLLUP_RUN_STALL_SECONDS)
    recent = Q(started_at__gte=bound) | Q(finished_at__gte=bound)
    with transaction.atomic():
        if RollupRunItem.objects.filter(recent).exists():
            return 0
        stalled = list(
            RollupRunItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=RollupRunItem.State.PENDING, run__finished_at__isnull=True)
            .filter(Q(queued_at__lt=bound) | Q(queued_at__isnull=True))
            .values_list("pk", "run_id", "year")
        )
        RollupRunItem.objects.filter(pk__in=[pk for pk, _run, _year in stalled]).update(
            queued_at=now
        )
        task = current_app.tasks["monitoring.tasks.recompute_run_item"]
        for _pk, run_id, year in stalled:
            transaction.on_commit(_sender(task, run_id, year), robust=True)
    if stalled:
        log.warning("Queued again %d stalled rollup run items: %s", len(stalled), stalled)
    return len(stalled)


@dataclass
class RunProgress:
    run: RollupRun
    done: int
    failed: int
    total: int
    elapsed_s: float
    errors: list[dict]

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


def run_progress(run: RollupRun) -> RunProgress:
    return runs_progress([run])[0]


def runs_progress(runs: list[RollupRun]) -> list[RunProgress]:
    """Progress of several runs in two queries, whatever their number."""
    ids = [run.pk for run in runs]
    counts: dict[tuple[int, str], int] = {
        (run_id, state): n
        for run_id, state, n in RollupRunItem.objects.filter(run_id__in=ids)
        .values_list("run_id", "state")
        .annotate(n=models.Count("pk"))
        .values_list("run_id", "state", "n")
    }
    errors: dict[int, list[dict]] = {}
    failed = RollupRunItem.objects.filter(run_id__in=ids, state=RollupRunItem.State.FAILED)
    for item in failed.values("run_id", "year", "error", "attempts"):
        errors.setdefault(item.pop("run_id"), []).append(item)
    now = timezone.now()
    return [
        RunProgress(
            run,
            counts.get((run.pk, RollupRunItem.State.DONE), 0),
            counts.get((run.pk, RollupRunItem.State.FAILED), 0),
            run.total,
            ((run.finished_at or now) - run.started_at).total_seconds(),
            errors.get(run.pk, []),
        )
        for run in runs
    ]
