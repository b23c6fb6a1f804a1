"""The Celery app: Redis broker when REDIS_URL is set, eager in-process execution otherwise."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("clusterboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_as_django_does(**kwargs):
    """Workers and beat write settings.LOGGING's lines (format, request id), not Celery's own."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    """A task queued while a request runs carries its id, so that the worker's lines for it
    can be found by the id the user's answer carried."""
    from core.request_id import NONE, current

    if headers is not None and current.get() != NONE:
        headers.setdefault("request_id", current.get())


@signals.task_prerun.connect
def _take_request_id(task=None, **kwargs):
    from core.request_id import NONE, current, sane

    if not task.request.is_eager:  # a task run inside the request keeps the request's id
        current.set(sane(getattr(task.request, "request_id", None)) or NONE)


@signals.task_postrun.connect
def _forget_request_id(task=None, **kwargs):
    from core.request_id import NONE, current

    if not task.request.is_eager:
        current.set(NONE)
