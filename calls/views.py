"""Pages of calls for proposals.

Published calls and their criteria are public (anonymous, in the visitor's language): the list
and a call's page. Officers of the program open, publish, close and decide a call, see its
ranking (and download it) and select; BSO staff apply; the call's evaluators declare no
conflict of interest and score. Calls and applications come through calls.selectors (built on
accounts.scopes), so one outside the scope answers 404; the rules are in calls.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.scopes import clusters_in_scope, may_write_programs, programs_in_scope
from calls import selectors, services
from calls.forms import ApplicationForm, CallForm, ScoreForm, SelectForm
from calls.models import Call
from core.exports import FORMATS, export_response


def _apply_errors(form, error: ValidationError, renamed: dict | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = (renamed or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _call(request, pk: int) -> Call:
    return get_object_or_404(selectors.calls_in_scope(request.user), pk=pk)


def _manager(request, call: Call) -> None:
    if not selectors.may_manage_call(request.user, call):
        raise PermissionDenied(_("Only the program's officers manage its calls."))


def call_list(request):
    """Published calls (and, for officers, the drafts of their programs), newest first."""
    calls = selectors.calls_in_scope(request.user)[:200]
    return render(
        request,
        "calls/call_list.html",
        {"calls": calls, "may_open": may_write_programs(request.user)},
    )


def call_detail(request, pk: int):
    call = _call(request, pk)
    user = request.user
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "is_open": call.state == Call.State.PUBLISHED and call.deadline > timezone.now(),
        "may_apply": user.is_authenticated and user.role == Role.BSO_STAFF,
        "may_manage": selectors.may_manage_call(user, call),
        "publish_problems": services.publish_problems(call) if call.state == "draft" else [],
    }
    return render(request, "calls/call_detail.html", context)


@login_required
def call_create(request):
    if not may_write_programs(request.user):
        raise PermissionDenied(_("Only program officers open calls."))
    form = CallForm(request.POST or None, programs=programs_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                data=form.service_data(), criteria=form.cleaned_data["criteria"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The call was saved as a draft."))
            return redirect("call-detail", pk=call.pk)
    status = 400 if form.errors else 200
    return render(request, "calls/call_form.html", {"form": form}, status=status)


@login_required
@require_POST
def call_transition(request, pk: int):
    """The buttons of a call's page: publish, close, decide."""
    call = _call(request, pk)
    _manager(request, call)
    to = request.POST.get("to")
    try:
        if to == Call.State.DECIDED:
            services.call_decide(call=call)
        else:
            services.call_transition(call=call, to=to)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("call-detail", pk=call.pk)


@login_required
def call_ranking(request, pk: int):
    """The ranking with its tie notes; `?format=csv|xlsx` downloads it."""
    call = _call(request, pk)
    _manager(request, call)
    if request.GET.get("format") in FORMATS:
        return export_response(
            headers=services.results_headers(),
            rows=services.results_rows(call),
            filename=f"call-{call.pk}-results",
            fmt=request.GET["format"],
        )
    context = {"call": call, "rows": services.ranking(call)}
    return render(request, "calls/call_ranking.html", context)


@login_required
def application_new(request, pk: int):
    """Apply to an open call: the application is submitted at once, or refused with the reason
    of each eligibility rule it breaks (nothing is kept then, and the form shows what was
    typed)."""
    call = _call(request, pk)
    if request.user.role != Role.BSO_STAFF:
        raise PermissionDenied(_("Applications are sent by BSO staff."))
    form = ApplicationForm(
        request.POST or None, request.FILES or None, clusters=clusters_in_scope(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                application = services.application_create(
                    call=call, data=form.service_data(), user=request.user
                )
                if form.cleaned_data.get("document"):
                    services.document_add(
                        application=application, file=form.cleaned_data["document"]
                    )
                services.application_submit(application=application)
        except ValidationError as error:
            _apply_errors(form, error, renamed={"file": "document"})
        else:
            messages.success(request, _("Your application was submitted."))
            return redirect("call-detail", pk=call.pk)
    status = 400 if form.errors else 200
    return render(
        request, "calls/application_form.html", {"call": call, "form": form}, status=status
    )


def _application(request, pk: int):
    return get_object_or_404(selectors.applications_in_scope(request.user), pk=pk)


@login_required
def application_evaluate(request, pk: int):
    """An evaluator declares no conflict of interest and scores every criterion; the others'
    scores show once every evaluator has scored."""
    application = _application(request, pk)
    call = application.call
    if not call.evaluators.filter(pk=request.user.pk).exists():
        raise PermissionDenied(_("Only the call's evaluators score its applications."))
    form = ScoreForm(request.POST or None, criteria=call.criteria.all(), scale_max=call.scale_max)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.declare_no_conflict(application=application, user=request.user)
                services.scores_save(
                    application=application, user=request.user, scores=form.scores()
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("application-evaluate", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "scores": services.visible_scores(application=application, user=request.user),
    }
    return render(
        request, "calls/application_evaluate.html", context, status=400 if form.errors else 200
    )


@login_required
def application_select(request, pk: int):
    """Select an application with a reason: its cluster is enrolled in the program."""
    application = _application(request, pk)
    _manager(request, application.call)
    form = SelectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_select(
                application=application, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The cluster is enrolled in the program."))
            return redirect("call-ranking", pk=application.call_id)
    context = {"application": application, "form": form}
    return render(
        request, "calls/application_select.html", context, status=400 if form.errors else 200
    )
