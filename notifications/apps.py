from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Register the e-mail tasks with the Celery app in every process (web, commands,
        # worker): services.notifications_write queues them by name on commit, and an
        # unregistered name is an error logged and an e-mail not sent (monitoring does the same).
        from notifications import tasks  # noqa: F401
