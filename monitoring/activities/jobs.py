"""Large activity imports as background jobs: the upload kept, a Celery task, its progress.

A spreadsheet with more rows than settings.ACTIVITY_IMPORT_BACKGROUND_ROWS is not imported
within the request: `activity_import_start` keeps the upload (default storage, under
MEDIA_ROOT, a random name), writes an ActivityImport row and queues
`monitoring.tasks.run_activity_import` once that commits; the page then shows the job's
progress. Without REDIS_URL the task runs in-process at once, so the job is finished when the
page shows it. Smaller files are imported within the request, as before.

`activity_import_run` (the task) is all or nothing, as the page's import: the file's rows are
read and their cells converted first, with the progress written as it goes (outside any
transaction, so that the page sees it), then every row is checked and saved in one
transaction that also records the job's result, so that a job is never half saved nor saved
twice. The file is removed once the job has finished.

At least once: a task delivered twice finds the job taken (or finished) and does nothing; a
job whose worker died is taken again by the next delivery once STALL_SECONDS have passed
since it started (the task asks to be retried then), at most MAX_ATTEMPTS times. A message
that never arrives (a broker down at upload, or restarted without persistence) would leave
the job waiting for ever: the every-minute sweep, `activity_imports_requeue_stalled`, sends
the task again for jobs waiting or running past STALL_SECONDS.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import PermissionDenied
from monitoring.activities.imports import (
    activities_import,
    activities_prepare,
    activities_save,
)
from monitoring.activities.services import require_activity_writer
from monitoring.activities.sheet import ImportRefused, activity_rows
from monitoring.models.activities import ActivityImport
from monitoring.spreadsheets.problems import ImportProblem, ImportResult

log = logging.getLogger(__name__)

STALL_SECONDS = 10 * 60  # also the task's time limit: a job running longer has lost its worker
MAX_ATTEMPTS = 3
State = ActivityImport.State


def background_rows() -> int:
    return int(getattr(settings, "ACTIVITY_IMPORT_BACKGROUND_ROWS", 300))


def activity_import_start(*, file, user, language: str) -> ImportResult | ActivityImport:
    """Import a spreadsheet of activities: at once when it is small (the result), else as a
    background job (the job, queued)."""
    require_activity_writer(user, None)
    try:
        rows = activity_rows(file=file)
    except ImportRefused as refusal:
        return ImportResult(errors=[ImportProblem(str(refusal))])
    if len(rows) <= background_rows():
        return activities_import(rows=rows, user=user)
    return _job_create(file=file, user=user, language=language, total=len(rows))


@transaction.atomic
def _job_create(*, file, user, language: str, total: int) -> ActivityImport:
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    job = ActivityImport(created_by=user, original_name=name, language=language, total=total)
    file.seek(0)
    job.file.save(name or "upload.csv", File(file), save=False)
    job.queued_at = timezone.now()
    try:
        job.full_clean()
        job.save()
    except Exception:
        default_storage.delete(job.file.name)
        raise
    # robust: the job is kept even if the broker is down; it then waits (shown as such) until
    # the sweep sends it again
    transaction.on_commit(_sender(job.pk), robust=True)
    return job


def _sender(job_id: int):
    from celery import current_app

    task = current_app.tasks["monitoring.tasks.run_activity_import"]
    return lambda: task.delay(job_id)


def activity_imports_requeue_stalled() -> int:
    """Send the task again for jobs still waiting, or running on a worker that died, more
    than STALL_SECONDS after it was last sent; returns how many were sent.

    Each job is sent at most once per STALL_SECONDS (queued_at), and a delivery only takes
    a job that is waiting or stalled (`_claim`), so a job is never run twice at once, and its
    attempts stay capped: a job that used them all is failed by the delivery that finds it."""
    bound = timezone.now() - timedelta(seconds=STALL_SECONDS)
    waiting = Q(state=State.QUEUED)
    stalled = Q(state=State.RUNNING, started_at__lt=bound)
    with transaction.atomic():
        job_ids = list(
            ActivityImport.objects.select_for_update(skip_locked=True)
            .filter(waiting | stalled)
            .filter(Q(queued_at__lt=bound) | Q(queued_at__isnull=True))
            .values_list("pk", flat=True)
        )
        ActivityImport.objects.filter(pk__in=job_ids).update(queued_at=timezone.now())
        for job_id in job_ids:
            transaction.on_commit(_sender(job_id), robust=True)
    if job_ids:
        log.warning(
            "Sent again %d activity import jobs that were left waiting: %s", len(job_ids), job_ids
        )
    return len(job_ids)


def _claim(job_id: int) -> bool:
    """Take the job for this run: a queued one, or one whose worker died (stalled)."""
    now = timezone.now()
    stalled = Q(state=State.RUNNING, started_at__lt=now - timedelta(seconds=STALL_SECONDS))
    return bool(
        ActivityImport.objects.filter(Q(state=State.QUEUED) | stalled, pk=job_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(state=State.RUNNING, started_at=now, progress=0, attempts=F("attempts") + 1)
    )


def activity_import_run(*, job_id: int) -> float | None:
    """Run a queued import job (the task). None when there is nothing more to do; else the
    seconds after which to try again (another run has the job, and may have died)."""
    if not _claim(job_id):
        return _wait_or_give_up(job_id)
    job = ActivityImport.objects.select_related("created_by").get(pk=job_id)
    with override(job.language or settings.LANGUAGE_CODE):
        try:
            _import(job)
        except Exception:  # whatever went wrong, the job says so rather than running forever
            log.exception("activity import %s failed", job_id)
            _finish(job, State.FAILED, errors=[_internal_error()])
    return None


def _import(job: ActivityImport) -> None:
    user = job.created_by

    def progress(done: int, total: int) -> None:
        ActivityImport.objects.filter(pk=job.pk, started_at=job.started_at).update(
            progress=done, total=total
        )

    try:
        require_activity_writer(user, None)
        with job.file.open("rb") as handle:
            rows = activity_rows(file=handle)
    except (ImportRefused, PermissionDenied) as refusal:
        _finish(job, State.REFUSED, errors=[str(refusal)])
        return
    prepared = activities_prepare(rows=rows, user=user, progress=progress)
    with transaction.atomic():
        # Under the row's lock: a run that took the job over after this one stalled wins.
        current = ActivityImport.objects.select_for_update().get(pk=job.pk)
        if current.state != State.RUNNING or current.started_at != job.started_at:
            return
        result = activities_save(prepared=prepared, user=user)
        if result.ok:
            _finish(job, State.DONE, saved=result.saved, total=len(rows))
        else:
            _finish(job, State.REFUSED, errors=[str(p) for p in result.errors], total=len(rows))


def _finish(job: ActivityImport, state: str, *, saved=0, errors=(), total=None) -> None:
    """Record the job's result (in the caller's transaction) and remove the kept upload once
    that commits."""
    changes = {
        "state": state,
        "saved": saved,
        "errors": list(errors),
        "finished_at": timezone.now(),
        "file": "",
    }
    if total is not None:
        changes.update(total=total, progress=total)
    ActivityImport.objects.filter(pk=job.pk).update(**changes)
    name = job.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _wait_or_give_up(job_id: int) -> float | None:
    """The job was not taken: finished, or running elsewhere. A job whose runs all died is
    failed once it has used its attempts."""
    job = ActivityImport.objects.filter(pk=job_id).first()
    if job is None or job.finished or job.state == State.QUEUED:
        return None
    elapsed = (timezone.now() - job.started_at).total_seconds() if job.started_at else 0
    if elapsed < STALL_SECONDS:
        return STALL_SECONDS - elapsed + 1  # ask again once it would count as stalled
    if job.attempts >= MAX_ATTEMPTS:
        with transaction.atomic(), override(job.language or settings.LANGUAGE_CODE):
            _finish(job, State.FAILED, errors=[_internal_error()])
    return None


def _internal_error() -> str:
    return _(
        "The import stopped because of an error on our side; nothing was imported. Try again later."
    )
