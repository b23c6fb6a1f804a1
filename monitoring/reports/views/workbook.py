"""Spreadsheet download and upload of a report: the pages around `monitoring.reports.workbook`
(download) and `monitoring.spreadsheet_import` (upload).

When an upload has errors, the marked-up copy of the workbook is kept in the user's session
(one at a time, replaced by the next upload, base64 in the session store) under a random
token, and the error page links to `report-upload-annotated` to download it. The session
is server-side and per user, so the copy is never visible to anyone else, and the page
stays small on slow links (no workbook inlined as a data: URL).
"""

import base64
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scopes import may_write_field_data, scope_reports
from core.errors import PermissionDenied
from monitoring.models import Report
from monitoring.reports import selectors, upload, workbook

SESSION_KEY = "report_upload_annotated"
# Bigger marked-up copies are not kept: the error list on the page is the answer then.
MAX_KEPT_BYTES = 3 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{workbook.XLSX_CONTENT_TYPE}"}),
    )


def _report_in_scope(request, pk: int) -> Report:
    return get_object_or_404(scope_reports(selectors.report_list(), request.user), pk=pk)


def _report_page(report: Report) -> str:
    try:
        return reverse("report-detail", args=[report.pk])
    except NoReverseMatch:  # the report page ships separately; its path is fixed
        return f"/reports/{report.pk}/"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbook.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _denied(request, report: Report) -> HttpResponse:
    context = {"report": report, "report_url": _report_page(report)}
    return render(request, "monitoring/report_upload_denied.html", context, status=403)


@require_GET
@login_required
def report_xlsx(request, pk: int):
    """The report as a workbook pre-filled with its current values."""
    report = _report_in_scope(request, pk)
    return _xlsx_response(workbook.report_workbook(report), workbook.workbook_filename(report))


@require_http_methods(["GET", "POST"])
@login_required
def report_upload(request, pk: int):
    """Upload a filled-in workbook: every value saved, or none and the errors row by row."""
    report = _report_in_scope(request, pk)
    if not may_write_field_data(request.user):
        return _denied(request, report)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context = {"report": report, "report_url": _report_page(report), "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = upload.report_import(
                report=report, file=form.cleaned_data["file"], user=request.user
            )
        except PermissionDenied:
            return _denied(request, report)
        if result.ok:
            if result.saved:
                text = ngettext(
                    "%(count)d value saved.", "%(count)d values saved.", result.saved
                ) % {"count": result.saved}
                messages.success(request, text)
            else:
                messages.info(
                    request, _("Nothing changed: the file holds the values already saved.")
                )
            request.session.pop(SESSION_KEY, None)
            return redirect(_report_page(report))
        context["errors"] = [str(problem) for problem in result.errors]
        context["annotated_url"] = _keep_annotated(request, report, result.annotated)
    return render(request, "monitoring/report_upload.html", context)


def _keep_annotated(request, report: Report, content: bytes | None) -> str | None:
    if not content or len(content) > MAX_KEPT_BYTES:
        request.session.pop(SESSION_KEY, None)
        return None
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "report": report.pk,
        "content": base64.b64encode(content).decode("ascii"),
    }
    return reverse("report-upload-annotated", args=[report.pk, token])


@require_GET
@login_required
def report_upload_annotated(request, pk: int, token: str):
    """The last upload's workbook with its bad cells marked, from this user's session."""
    report = _report_in_scope(request, pk)
    if not may_write_field_data(request.user):
        return _denied(request, report)
    kept = request.session.get(SESSION_KEY) or {}
    if kept.get("report") != report.pk or not secrets.compare_digest(
        str(kept.get("token", "")), token
    ):
        raise Http404
    content = base64.b64decode(kept["content"])
    return _xlsx_response(content, workbook.workbook_filename(report, suffix="-errors"))
