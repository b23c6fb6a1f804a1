"""/health/: whether the database, the cache and the broker answer, and the age of the oldest
stale rollup marker; for load balancers, docker-compose's healthcheck and monitoring."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone

from core.models import RollupStale

log = logging.getLogger(__name__)

PATH = "/health/"
OK, UNAVAILABLE, IN_PROCESS = "ok", "unavailable", "in-process"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        log.warning("health: database unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def _cache() -> str:
    key, token = "health:probe", uuid.uuid4().hex
    try:
        cache.set(key, token, 30)
        answered = cache.get(key) == token
    except Exception as error:
        log.warning("health: cache unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK if answered else UNAVAILABLE


def _broker() -> str:
    from celery import current_app

    if current_app.conf.task_always_eager:
        return IN_PROCESS  # no broker: tasks run in the web process
    import redis

    seconds = settings.REDIS_TIMEOUT_SECONDS
    client = redis.Redis.from_url(
        current_app.conf.broker_url, socket_timeout=seconds, socket_connect_timeout=seconds
    )
    try:
        client.ping()
    except Exception as error:
        log.warning("health: broker unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    finally:
        client.close()
    return OK


def _oldest_stale_seconds() -> int | None:
    """How long the oldest stale marker has waited (None: none waits): a growing age means
    no worker is recomputing."""
    try:
        oldest = RollupStale.objects.aggregate(oldest=Min("created_at"))["oldest"]
    except Exception as error:  # the database went away since it was checked
        log.warning("health: stale markers unreadable (%s)", type(error).__name__)
        return None
    return None if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))


def health() -> tuple[int, dict]:
    """(HTTP status, answer): 503 when the database does not answer (nothing works without
    it); 200 otherwise, "degraded" when the cache or the broker does not (pages still work)."""
    answer = {"database": _database(), "cache": _cache(), "broker": _broker()}
    if answer["database"] != OK:
        return 503, {"status": UNAVAILABLE, **answer, "oldest_stale_seconds": None}
    status = OK if UNAVAILABLE not in answer.values() else "degraded"
    return 200, {"status": status, **answer, "oldest_stale_seconds": _oldest_stale_seconds()}


class HealthCheckMiddleware:
    """Answers PATH before the host check, the HTTPS redirect and sessions: a load balancer or
    a container healthcheck asks by IP address over plain HTTP. No data beyond the statuses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        status, answer = health()
        response = JsonResponse(answer, status=status)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
