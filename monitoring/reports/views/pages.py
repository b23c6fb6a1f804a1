"""Report pages: a cluster's scorecard for a period, the report entry page, the review queue,
and the POST endpoints that open a report and move it through its review.

Views parse input, call one service or selector and render; the rules (who may write or
review, which transitions are allowed, what a valid value is) live in
monitoring.reports.services and accounts.scopes. Every object comes through the user's scope,
so an out-of-scope one is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import (
    clusters_in_scope,
    may_review,
    may_write_field_data,
    scope_queryset,
    scope_reports,
)
from core.errors import ConflictError, PermissionDenied
from core.exports import FORMATS, export_response
from core.offline import keep_offline
from monitoring.models import Report, ReportTransition
from monitoring.reports import selectors
from monitoring.reports.checks import flags_explain
from monitoring.reports.comments import may_comment
from monitoring.reports.derived import prefill_report_entry
from monitoring.reports.forms import ReportEntry
from monitoring.reports.scores import SCORECARD_HEADERS, cluster_scorecard, scorecard_rows
from monitoring.reports.services import (
    TRANSITIONS,
    report_record_values,
    report_start,
    report_transition,
)
from scorecards.models import Period
from scorecards.selectors import own_kpis_of, own_kpis_proposed

REVIEW_PAGE_SIZE = 50
Action = ReportTransition.Action


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _period_from(raw: str | None) -> Period:
    if not raw or not raw.isdigit():
        raise Http404(_("No such period."))
    return get_object_or_404(Period, pk=raw)


# --- Cluster scorecard ------------------------------------------------------------------------


@login_required
def cluster_scorecard_page(request, pk: int):
    """Perspectives > CSFs > KPIs of the cluster for one period, scored by cluster_scorecard.

    Values come from the cluster's report for the period in whatever state (marked as such);
    users who may read approved reports only see the plan (targets, baselines) until then.
    """
    # the country for the page's cluster header (templates/clusters/_header.html)
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    reports = list(scope_reports(selectors.cluster_reports(cluster_id=cluster.pk), request.user))
    selectors.mark_overdue(reports, today=timezone.localdate())
    if "period" in request.GET:
        period = _period_from(request.GET["period"])
    elif reports:
        period = reports[0].period
    else:
        period = selectors.latest_ended_quarter(today=timezone.localdate())
    reports_by_period = {r.period_id: r for r in reports}
    context = {
        "cluster": cluster,
        "period": period,
        "period_options": [(p, reports_by_period.get(p.pk)) for p in selectors.period_choices()],
        "card": None,
        "no_scorecard": "",
        "values_hidden": False,
        "may_open": may_write_field_data(request.user),
        # the plan, from pages: own KPIs (proposed by BSO staff, decided by officers),
        # adoption and baselines (scorecards/views/)
        "may_review": may_review(request.user),
        "own_kpis": own_kpis_of(cluster_id=cluster.pk),
    }
    if period is not None:
        # Values only from a report the user may read (ministries: approved ones).
        visible = period.pk in reports_by_period
        try:
            card = cluster_scorecard(cluster=cluster, period=period, without_values=not visible)
        except ValidationError as error:
            context["no_scorecard"] = _error_text(error)
        else:
            if card.report is not None:
                selectors.mark_overdue([card.report], today=timezone.localdate())
            context["card"] = card
            context["values_hidden"] = not visible and selectors.cluster_has_report(
                cluster_id=cluster.pk, period_id=period.pk
            )
            if request.GET.get("format") in FORMATS:
                return export_response(
                    headers=SCORECARD_HEADERS,
                    rows=scorecard_rows(card),
                    filename=f"scorecard-{cluster.pk}-{period}",
                    fmt=request.GET["format"],
                )
    return render(request, "monitoring/cluster_scorecard.html", context)


# --- Report entry -----------------------------------------------------------------------------


@login_required
@require_POST
def report_open_view(request, pk: int):
    """Open (or find) the cluster's report for the period given, then go to it."""
    cluster = get_object_or_404(clusters_in_scope(request.user), pk=pk)
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only BSO staff enter report values."))
    period = _period_from(request.POST.get("period") or request.GET.get("period"))
    try:
        report = report_start(cluster=cluster, period=period, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        url = reverse("cluster-scorecard", args=[cluster.pk])
        return redirect(f"{url}?period={period.pk}")
    return redirect(report)


def _visible_report(request, pk: int) -> Report:
    return get_object_or_404(scope_reports(selectors.report_detail(), request.user), pk=pk)


def _report_page(
    request, report: Report, *, data=None, errors=None, problem="", review=None, status=200
):
    try:
        card = cluster_scorecard(cluster=report.cluster, period=report.period)
    except ValidationError:
        card = None  # the scorecard changed since: the values are listed without their plan
    previous = {
        m.kpi_id: m
        for m in scope_reports(
            selectors.previous_measurements(report=report), request.user, prefix="report__"
        )
    }
    entry = ReportEntry(report=report, card=card, previous=previous, data=data, errors=errors)
    # --- activity log: empty inputs pre-filled with values derived from it (activity_kpis) ---
    if data is None and report.is_editable and may_write_field_data(request.user):
        prefill_report_entry(entry)
    # --- end activity log ---
    transitions = list(report.transitions.all())
    last_return = next(
        (t for t in reversed(transitions) if t.to_state == Report.State.RETURNED), None
    )
    reviewer = may_review(request.user)
    selectors.mark_overdue([report], today=timezone.localdate())
    context = {
        "report": report,
        "entry": entry,
        "transitions": transitions,
        "last_return": last_return if report.state == Report.State.RETURNED else None,
        "editable": report.is_editable and may_write_field_data(request.user),
        "may_approve": reviewer and report.state == Report.State.SUBMITTED,
        "may_reopen": reviewer and report.state == Report.State.APPROVED,
        "problem": problem,
        # a return or reopen refused (no comment): the comment typed, the values named, and
        # the error
        "review": review or {"comment": "", "values": [], "errors": []},
        "may_comment": may_comment(request.user),
    }
    response = render(request, "monitoring/report_detail.html", context, status=status)
    if context["editable"] and status == 200:
        keep_offline(response)  # its values can be entered without a connection (offline.js)
    return response


@login_required
def report_detail(request, pk: int):
    """GET: the report's values (inputs when the user may edit them). POST: save them, and
    with `submit` also submit the report."""
    report = _visible_report(request, pk)
    if request.method != "POST":
        return _report_page(request, report)
    entry = ReportEntry(report=report, card=None, previous={}, data=request.POST)
    try:
        report_record_values(report=report, rows=entry.service_rows(), user=request.user)
        # explanations of the flags the values still carry (saving may have cleared some)
        if explanations := entry.explanations():
            flags_explain(report=report, explanations=explanations, user=request.user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return _report_page(request, report, data=request.POST, errors=error.message_dict)
        return _report_page(request, report, data=request.POST, problem=_error_text(error))
    except ConflictError as error:
        return _report_page(request, report, data=request.POST, problem=str(error), status=409)
    except PermissionDenied as error:
        return _report_page(request, report, data=request.POST, problem=str(error), status=403)
    if "submit" not in request.POST:
        messages.success(request, _("Your values were saved as a draft."))
        return redirect(report)
    try:
        report_transition(report=report, action=Action.SUBMIT, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = _error_text(error) if isinstance(error, ValidationError) else str(error)
        messages.error(
            request,
            _("Your values were saved, but the report was not submitted. %(reason)s")
            % {"reason": text},
        )
    else:
        messages.success(request, _("The report was submitted for review."))
    return redirect(report)


def _review_refused(request, pk: int, *, action: str, errors: list[str]):
    """The report's page again, with the return or reopen comment typed and its error beside
    it (and in the summary at the top)."""
    anchor, label = {
        Action.RETURN: ("return-comment", _("Comment for the cluster (required to return)")),
        Action.REOPEN: ("reopen-comment", _("Reason for reopening (required)")),
    }[action]
    review = {
        "comment": request.POST.get("comment", ""),
        "values": request.POST.getlist("values"),
        "errors": errors,
        "items": [{"anchor": anchor, "label": label, "message": m} for m in errors],
    }
    return _report_page(request, _visible_report(request, pk), review=review, status=400)


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    """Submit, approve, return or reopen a report; back to `next` (if safe) or the report."""
    if action not in TRANSITIONS:
        raise Http404(_("No such action."))
    report = get_object_or_404(scope_reports(selectors.report_list(), request.user), pk=pk)
    target = request.POST.get("next", "")
    safe_target = target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    try:
        report_transition(
            report=report,
            action=action,
            user=request.user,
            comment=request.POST.get("comment", ""),
            values=request.POST.getlist("values"),
        )
    except ValidationError as error:
        comment_errors = error.message_dict.get("comment") if hasattr(error, "error_dict") else []
        if comment_errors and not safe_target and action in (Action.RETURN, Action.REOPEN):
            # from the report's own page: shown again with the comment typed and its error
            return _review_refused(request, pk, action=action, errors=comment_errors)
        messages.error(request, _error_text(error))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        done = {
            Action.SUBMIT: _("%(report)s was submitted for review."),
            Action.APPROVE: _("%(report)s was approved."),
            Action.RETURN: _("%(report)s was returned to the cluster."),
            Action.REOPEN: _("%(report)s was reopened."),
        }[action]
        messages.success(request, done % {"report": report})
    if safe_target:
        return redirect(target)
    return redirect(report)


# --- Review queue -----------------------------------------------------------------------------


@login_required
def review_queue(request):
    """Submitted reports in the reviewer's scope, the longest-waiting first; `?format=csv|xlsx`
    downloads all of them."""
    if not may_review(request.user):
        return render(request, "monitoring/review_queue.html", {"reviewer": False}, status=403)
    reports = scope_reports(selectors.review_queue(), request.user)
    if request.GET.get("format") in FORMATS:
        return export_response(
            headers=selectors.REVIEW_QUEUE_HEADERS,
            rows=selectors.review_queue_rows(reports),
            filename="review-queue",
            fmt=request.GET["format"],
        )
    page = Paginator(reports, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    # own KPIs waiting for a decision: the oldest ones, in one query (one more than shown
    # says that there are more)
    proposals = list(scope_queryset(own_kpis_proposed(), request.user)[: REVIEW_PAGE_SIZE + 1])
    context = {
        "reviewer": True,
        "page_obj": page,
        "proposals": proposals[:REVIEW_PAGE_SIZE],
        "more_proposals": len(proposals) > REVIEW_PAGE_SIZE,
    }
    return render(request, "monitoring/review_queue.html", context)
