"""The e-mail tasks are known to Celery once Django has started (NotificationsConfig.ready).

This module imports nothing of notifications.tasks: run alone, it is a process like the web's,
which never imports the tasks itself."""

from celery import current_app


def test_the_email_tasks_are_registered_when_django_starts():
    """notifications_write queues its task by name on commit; an unknown name is an error logged
    and an e-mail not sent."""
    assert "notifications.tasks.send_notification_emails" in current_app.tasks
    assert "notifications.tasks.send_notification_digests" in current_app.tasks
