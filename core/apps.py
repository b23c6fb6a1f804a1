from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import cache

        # every committed write moves the data version that cached pages are keyed by
        cache.track_writes()
