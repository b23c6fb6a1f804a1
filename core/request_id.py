"""The request id: a sane X-Request-ID from a proxy, else one made here; on the response and
on every log line written while the request (or a task it queued) runs."""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.signals import request_finished

HEADER = "X-Request-ID"
NONE = "-"
# What a proxy may hand us: a UUID, nginx's $request_id, a trace id; never spaces, quotes or
# control characters, which would break log lines and headers.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}\Z")

current = contextvars.ContextVar("request_id", default=NONE)
requests_log = logging.getLogger("core.requests")


def sane(value: str | None) -> str | None:
    """The value if it may serve as a request id, else None."""
    return value if value and _SANE.match(value) else None


class RequestIdMiddleware:
    """Early in MIDDLEWARE: every response, redirects and errors included, carries the id.
    With settings.LOG_REQUESTS, one line per request (method, path without the query string,
    status, milliseconds), in place of the server's access log."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.log_requests = getattr(settings, "LOG_REQUESTS", False)

    def __call__(self, request):
        started = time.monotonic()
        request_id = sane(request.META.get("HTTP_X_REQUEST_ID")) or uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx answers after the middleware returns;
        # request_finished clears it.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        if self.log_requests:
            requests_log.info(
                "%s %s %s %.0f ms",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
        return response


def _forget(**kwargs) -> None:
    current.set(NONE)


request_finished.connect(_forget, dispatch_uid="core.request_id.forget")


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (settings.LOGGING's handlers use it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
