"""Dashboard bodies served from core.cache, shared by the users of one scope.

A dashboard's body (everything below the site header, which names the signed-in user and
carries a CSRF token) is rendered once per scope, language, page, query string, day and data
version, then served from the cache until a write commits (core.cache moves the version).

The scope part of the key is accounts.scope_keys.scope_key: the role and the user's fields
the scope is built from, not the user, so users who see the same data share a cached body and
no one is ever served a body built for another scope.
"""

from collections.abc import Callable

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from accounts.scope_keys import scope_key
from core.cache import cached

PAGE_TEMPLATE = "dashboards/_page.html"


def body(request, build: Callable[[], str]) -> str:
    """The page's body: `build()` (rendering it) on a miss, else the cached one."""
    parts = (
        "dashboard",
        request.path,
        sorted(request.GET.lists()),
        get_language(),
        timezone.localdate(),  # "due", "overdue": the BSO's list changes at midnight
        scope_key(request.user),
    )
    return cached(parts, build)


def page(request, *, title: str, template: str, build_context: Callable[[], dict]):
    """Render a dashboard: its body (`template` with `build_context()`, or the cached body)
    inside the site's frame."""
    content = body(request, lambda: render_to_string(template, build_context(), request))
    return render(request, PAGE_TEMPLATE, {"title": title, "body": content})
