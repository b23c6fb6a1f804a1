"""Celery tasks of the monitoring room: thin wrappers that call services."""

from celery import shared_task


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: e-mail reminders about reports due or waiting for review (idempotent per day)."""
    import datetime

    from django.utils import timezone

    from monitoring.reminders import reminders_send

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders_send(today=day)
