"""Activity log pages: the filterable list and its exports, a cluster's timeline, the
quick-entry form, an activity's page with its attachments, and the spreadsheet import.

Views parse input, call one service or selector and render. Every object comes through the
user's scope (monitoring.activities.selectors), so one outside it answers 404; the write rules
(who logs for which cluster and BSO, which files) are in monitoring.activities.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoped_relations import refuse_unknown_choices
from accounts.scopes import clusters_in_scope, may_write_field_data
from core.errors import PermissionDenied
from core.exports import FORMATS, export_response
from core.filters import rows_or_none
from core.history.views import history_page
from core.offline import keep_offline
from core.uploads import attachment_response
from monitoring.activities import selectors
from monitoring.activities.forms import ActivityForm, ActivityImportForm, AttachmentForm
from monitoring.activities.jobs import activity_import_start, background_rows
from monitoring.activities.services import (
    activity_create,
    activity_delete,
    activity_update,
    attachment_add,
    attachment_delete,
)
from monitoring.activities.template import KEYS, template_workbook
from monitoring.models.activities import ActivityImport

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What "save and add another" carries over to the next empty form.
CARRIED_OVER = ("cluster", "bso", "date", "type", "currency")


def _require_writer(request) -> None:
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only BSO staff log activities."))


def _filtered(request):
    return selectors.ActivityFilter(
        request.GET, queryset=selectors.activities_in_scope(request.user), request=request
    )


@login_required
def activity_list(request):
    """The activities in the user's scope, filtered by cluster, type, dates and BSO; a refused
    filter value shows its error (400) and no rows."""
    return _list_page(request, _filtered(request))


def _list_page(request, filterset):
    page = Paginator(rows_or_none(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "query": query.urlencode(),
        "may_write": may_write_field_data(request.user),
    }
    status = 200 if filterset.is_valid() else 400
    return render(request, "monitoring/activity_list.html", context, status=status)


@login_required
def activity_export(request, fmt: str):
    """The filtered list (same filters, same scope) as CSV or XLSX; with a refused filter value
    (a cluster outside the scope, a bad date...), the list page with its error and no rows, as
    a 400 like the API's, never a download that quietly left the filter out."""
    if fmt not in FORMATS:
        raise Http404
    filterset = _filtered(request)
    if not filterset.is_valid():
        return _list_page(request, filterset)
    return export_response(
        headers=selectors.export_headers(),
        rows=selectors.export_rows(filterset.qs),
        filename="activities",
        fmt=fmt,
    )


@login_required
def cluster_activities(request, pk: int):
    """One cluster's activities as a timeline, newest first, by month."""
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    page = Paginator(selectors.cluster_timeline(cluster), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "cluster": cluster,
        "page_obj": page,
        "may_write": may_write_field_data(request.user),
    }
    return render(request, "monitoring/activity_timeline.html", context)


def _form_page(request, form, *, activity=None, status=200):
    context = {"form": form, "activity": activity}
    if activity is None:  # a new activity: its currency follows the cluster chosen
        context["currencies"] = selectors.default_currencies(user=request.user)
        context["offline"] = True  # kept for entry without a connection (static/js/offline.js)
    return render(request, "monitoring/activity_form.html", context, status=status)


def _save(request, form, *, activity=None):
    """Run the service on a valid form; its errors go back onto the form (None then)."""
    data = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
    try:
        if activity is None:
            return activity_create(data=data, user=request.user)
        return activity_update(activity=activity, data=data, user=request.user)
    except ValidationError as error:
        form.add_error(None, error)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    return None


@login_required
def activity_new(request):
    """The quick-entry form; "save and add another" comes back with the same cluster, BSO,
    date, type and currency filled in."""
    _require_writer(request)
    if request.method != "POST":
        initial = {k: request.GET[k] for k in CARRIED_OVER if request.GET.get(k)}
        if "currency" not in initial:
            cluster_id = str(initial.get("cluster") or "")
            cluster_id = int(cluster_id) if cluster_id.isdigit() and len(cluster_id) < 19 else None
            initial["currency"] = selectors.default_currency(
                user=request.user, cluster_id=cluster_id
            )
        # the quick entry also opens without a connection (static/js/offline.js)
        return keep_offline(_form_page(request, ActivityForm(initial=initial, user=request.user)))
    form = ActivityForm(request.POST, user=request.user)
    refuse_unknown_choices(form, ActivityForm.scoped_choices)
    activity = _save(request, form) if form.is_valid() else None
    if activity is None:
        return _form_page(request, form, status=400)
    messages.success(request, _("The activity “%(title)s” was logged.") % {"title": activity})
    if "add_another" in request.POST:
        carried = {
            "cluster": activity.cluster_id,
            "bso": activity.bso_id,
            "date": activity.date.isoformat(),
            "type": activity.type,
            "currency": activity.currency,
        }
        return redirect(f"{reverse('activity-new')}?{urlencode(carried)}")
    return redirect(activity)


def _visible(request, pk: int):
    return get_object_or_404(selectors.activities_in_scope(request.user), pk=pk)


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(selectors.scope_detail(request.user), pk=pk)
    context = {
        "activity": activity,
        "may_write": may_write_field_data(request.user),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "monitoring/activity_detail.html", context)


@login_required
def activity_history(request, pk: int):
    """Who logged and changed the activity, and what (core.history)."""
    return history_page(request, get_object_or_404(selectors.scope_detail(request.user), pk=pk))


@login_required
def activity_edit(request, pk: int):
    _require_writer(request)
    activity = _visible(request, pk)
    if request.method != "POST":
        form = ActivityForm(instance=activity, user=request.user)
        return _form_page(request, form, activity=activity)
    form = ActivityForm(request.POST, instance=activity, user=request.user)
    refuse_unknown_choices(form, ActivityForm.scoped_choices)
    saved = _save(request, form, activity=activity) if form.is_valid() else None
    if saved is None:
        return _form_page(request, form, activity=activity, status=400)
    messages.success(request, _("The activity was saved."))
    return redirect(saved)


@login_required
@require_POST
def activity_remove(request, pk: int):
    _require_writer(request)
    activity = _visible(request, pk)
    cluster_id = activity.cluster_id
    try:
        activity_delete(activity=activity, user=request.user)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    messages.success(request, _("The activity was deleted."))
    return redirect("cluster-activities", pk=cluster_id)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    _require_writer(request)
    activity = _visible(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(activity)
    try:
        attachment_add(activity=activity, file=form.cleaned_data["file"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(activity)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    messages.success(request, _("The file was attached."))
    return redirect(activity)


@login_required
def attachment_download(request, pk: int):
    """The file, only for users whose scope holds its activity; always as a download."""
    attachment = get_object_or_404(selectors.attachments_in_scope(request.user), pk=pk)
    return attachment_response(attachment)


@login_required
@require_POST
def attachment_remove(request, pk: int):
    _require_writer(request)
    attachment = get_object_or_404(selectors.attachments_in_scope(request.user), pk=pk)
    activity = attachment.activity
    try:
        attachment_delete(attachment=attachment, user=request.user)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    messages.success(request, _("The file was removed."))
    return redirect(activity)


@login_required
def activity_import(request):
    """Upload a spreadsheet of activities: all rows are logged, or none (errors by row). A
    large file is imported in the background: the page then follows its job."""
    _require_writer(request)
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": [], "keys": KEYS, "background_rows": background_rows()}
    if request.method == "POST" and form.is_valid():
        outcome = activity_import_start(
            file=form.cleaned_data["file"], user=request.user, language=get_language()
        )
        if isinstance(outcome, ActivityImport):
            return redirect(outcome)
        if outcome.ok:
            messages.success(
                request, _("%(count)d activities were imported.") % {"count": outcome.saved}
            )
            return redirect("activity-list")
        context["errors"] = outcome.errors
        return render(request, "monitoring/activity_import.html", context, status=400)
    return render(request, "monitoring/activity_import.html", context)


@login_required
def activity_import_job(request, pk: int):
    """A background import: its progress while it runs, then what it did."""
    job = get_object_or_404(selectors.import_jobs_visible(request.user), pk=pk)
    context = {"job": job, "progress": selectors.import_progress(job)}
    return render(request, "monitoring/activity_import_job.html", context)


@login_required
def activity_import_progress(request, pk: int):
    """The job's progress as JSON, for the script of its page."""
    job = get_object_or_404(selectors.import_jobs_visible(request.user), pk=pk)
    response = JsonResponse(selectors.import_progress(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def activity_import_template(request, fmt: str):
    """The empty spreadsheet to fill in (XLSX with a type list and instructions, or CSV)."""
    if fmt == "csv":
        return export_response(headers=KEYS, rows=[], filename="activities-template", fmt="csv")
    if fmt != "xlsx":
        raise Http404
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activities-template.xlsx"'
    return response
