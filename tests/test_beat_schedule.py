"""Every periodic job of the beat schedule names a task the workers know."""

from celery import current_app
from django.conf import settings


def test_every_scheduled_job_names_a_registered_task():
    current_app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert names - set(current_app.tasks) == set()
    # the sweeps that bring back lost work run every minute
    assert {
        "monitoring.tasks.requeue_stalled_run_items",
        "monitoring.tasks.requeue_stalled_activity_imports",
    } <= names
