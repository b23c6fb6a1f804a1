from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")  # the admin's section heading

    def ready(self):
        # Register the tasks with the Celery app in every process (web, commands, worker),
        # so that other rooms can queue them by name.
        from monitoring import tasks  # noqa: F401
