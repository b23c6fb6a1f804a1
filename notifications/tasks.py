"""Celery tasks of notifications: thin wrappers around the services (safe to run twice: a
row is marked when e-mailed and never e-mailed again)."""

from celery import shared_task


@shared_task
def send_notification_emails(ids: list[int]) -> int:
    """Queued on commit of an event: e-mail its notifications to who chose "at once"."""
    from notifications.services import emails_send_now

    return emails_send_now(ids)


@shared_task
def send_notification_digests() -> int:
    """Daily: one e-mail per recipient of the notifications not yet e-mailed."""
    from notifications.services import emails_send_digests

    return emails_send_digests()
