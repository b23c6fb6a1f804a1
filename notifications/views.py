"""The inbox page: one's notifications, newest first, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.selectors import notifications_of
from notifications.services import notification_mark_read, notifications_mark_all_read
from notifications.texts import text

PAGE_SIZE = 30


@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notification": n, "text": text(n)} for n in page.object_list]
    return render(request, "notifications/list.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one read; with `open`, go on to what it is about."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notification, user=request.user)
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link or "notification-list")
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("Notifications marked read: %(count)d.") % {"count": count})
    return redirect("notification-list")
