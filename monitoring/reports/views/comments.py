"""Posting a comment in a value's thread (its form is beside the value on the report page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import scope_reports
from core.errors import PermissionDenied
from monitoring.reports import selectors
from monitoring.reports.comments import comment_post


@login_required
@require_POST
def measurement_comment(request, pk: int):
    """Add the POST's `text` to the thread of a value the user may read (404 otherwise), then
    back to the value on its report's page."""
    values = scope_reports(selectors.measurement_list(), request.user, prefix="report__")
    measurement = get_object_or_404(values, pk=pk)
    try:
        comment_post(measurement=measurement, text=request.POST.get("text", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your comment on “%(kpi)s” was posted.") % {"kpi": measurement.kpi.name}
        )
    return redirect(f"{measurement.report.get_absolute_url()}#comments-{measurement.pk}")
