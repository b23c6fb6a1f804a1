"""Celery tasks of notifications: thin wrappers around the services (safe to run twice: a
row is marked when e-mailed and never e-mailed again)."""

from celery import shared_task

from notifications.services import emails_send_digests, emails_send_now


@shared_task
def send_notification_emails(ids: list[int]) -> int:
    """Queued on commit of an event: e-mail its notifications to who chose "at once"."""
    return emails_send_now(ids)


@shared_task
def send_notification_digests() -> int:
    """Daily: one e-mail per recipient of the notifications not yet e-mailed."""
    return emails_send_digests()
