"""The history page every audited object shares; each room's view finds the object in the
user's scope (404 outside it) and hands it here."""

from django.shortcuts import render

from core.history.changes import Part, changes_page
from core.history.changes import timeline_page as changes_timeline


def history_page(
    request,
    obj,
    *,
    back_url: str | None = None,
    template: str = "history/object_history.html",
    extra_context: dict | None = None,
):
    """A page of `obj`'s changes, newest first; `back_url` is the page that shows the object
    (its `get_absolute_url()` when not given). A room may show more beside the changes with a
    template extending history/object_history.html (block `after_history`)."""
    if back_url is None and hasattr(obj, "get_absolute_url"):
        back_url = obj.get_absolute_url()
    context = {
        "object": obj,
        "kind": obj._meta.verbose_name,
        "back_url": back_url,
        "page_obj": changes_page(obj, page=request.GET.get("page")),
        **(extra_context or {}),
    }
    return render(request, template, context)


def timeline_page(request, obj, *, parts: list[Part], back_url: str | None = None):
    """A page of `obj`'s changes and of its parts' (changes.timeline_page), newest first."""
    if back_url is None and hasattr(obj, "get_absolute_url"):
        back_url = obj.get_absolute_url()
    context = {
        "object": obj,
        "kind": obj._meta.verbose_name,
        "back_url": back_url,
        "page_obj": changes_timeline(obj, parts=parts, page=request.GET.get("page")),
        "with_parts": True,
    }
    return render(request, "history/object_history.html", context)
