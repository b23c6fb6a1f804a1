from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"

    def ready(self):
        # Register the tasks with the Celery app in every process (web, commands, worker),
        # so that other rooms can queue them by name.
        from monitoring import tasks  # noqa: F401
