"""Entry without a connection: the service worker's script at the site's root, and the mark a
page carries when the service worker may keep it (static/js/sw.js, static/js/offline.js)."""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.views.decorators.http import require_safe

SCRIPT = "js/sw.js"
# The answer's header that tells the service worker to keep the page (sw.js's MARK).
MARK = "Clusterboard-Offline"


@cache
def _script() -> bytes:
    """The script from the static files: collected (production) or from static/ (development
    and tests, where nothing is collected)."""
    found = finders.find(SCRIPT)
    if found:
        return Path(found).read_bytes()
    with staticfiles_storage.open(SCRIPT) as handle:
        return handle.read()


@require_safe
def service_worker(request):
    """The service worker's script. Served from / rather than /static/ so that its scope is the
    whole site; asked again on every navigation, so never kept stale by a cache."""
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def keep_offline(response: HttpResponse) -> HttpResponse:
    """Marks a page the service worker keeps, so that it opens again without a connection."""
    response[MARK] = "keep"
    return response
