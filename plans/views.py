"""Pages of competitiveness plans: a cluster's plan (its latest version), a version's page
(diagnostic and studies, SWOT, benchmark, actions with what moved and what was spent), the
forms of a draft, the steering committee's approval, a revision and its difference, and the
activities done for an action.

BSO staff of the cluster (and administrators) write; officers, ministries and regional bodies
read. Plans come through plans.selectors (accounts' scope), so one outside the scope answers
404; the rules are in plans.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import clusters_in_scope, may_write_field_data
from core.errors import PermissionDenied
from core.uploads import attachment_response
from monitoring.activities.forms import ActivityForm, AttachmentForm
from monitoring.activities.selectors import default_currency
from plans import selectors, services
from plans.forms import ActionForm, ApproveForm, LinkForm, PlanForm
from plans.models import Plan, PlanAction


def _plan(request, pk: int) -> Plan:
    return get_object_or_404(selectors.plans_in_scope(request.user), pk=pk)


def _action(request, pk: int) -> PlanAction:
    return get_object_or_404(selectors.actions_in_scope(request.user), pk=pk)


def _writer(request) -> None:
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only the cluster's BSO staff write its plan."))


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _run(form, call):
    """Call the service; its refusals go back onto the form (None then)."""
    try:
        return call()
    except ValidationError as error:
        _errors(form, error)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    return None


def _done_then_back(request, call, *, success: str, back):
    """A button's POST: call the service, say its result (or its refusal), go back."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    else:
        messages.success(request, success)
    return redirect(back)


def _refused_when_frozen(request, plan: Plan):
    """A form page of a version that may not change: back to its page, saying why."""
    try:
        services.require_draft(plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    return None


def _form_page(request, template: str, context: dict, form):
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


@login_required
def cluster_plan(request, pk: int):
    """The cluster's plan: its latest version, or a page saying there is none yet."""
    cluster = get_object_or_404(clusters_in_scope(request.user), pk=pk)
    plan = selectors.latest_plan(cluster.pk)
    if plan is not None:
        return redirect(plan)
    context = {"cluster": cluster, "may_write": may_write_field_data(request.user)}
    return render(request, "plans/no_plan.html", context)


@login_required
def plan_create(request, pk: int):
    _writer(request)
    cluster = get_object_or_404(clusters_in_scope(request.user), pk=pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = _run(
            form,
            lambda: services.plan_create(
                cluster=cluster, data=form.cleaned_data, user=request.user
            ),
        )
        if plan is not None:
            messages.success(request, _("The plan was saved as a draft."))
            return redirect(plan)
    return _form_page(request, "plans/plan_form.html", {"cluster": cluster, "plan": None}, form)


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    actions = selectors.plan_actions(plan)
    kpis = list({k.pk: k for a in actions for k in a.kpis.all()}.values())
    progress = selectors.kpi_progress(cluster_id=plan.cluster_id, kpis=kpis)
    versions = selectors.versions_of(plan)
    latest = versions[0]
    may_write = may_write_field_data(request.user)
    context = {
        "plan": plan,
        "cluster": plan.cluster,
        "actions": [(a, [progress[k.pk] for k in a.kpis.all()]) for a in actions],
        "money": selectors.money_by_action(actions),
        "benchmark": selectors.benchmark(request.user, plan=plan, progress=progress),
        "studies": list(plan.studies.all()),
        "versions": versions,
        "is_latest": latest.pk == plan.pk,
        "may_write": may_write,
        "may_edit": may_write and latest.pk == plan.pk and not plan.frozen,
        "may_revise": may_write and latest.pk == plan.pk and plan.frozen,
        "attachment_form": AttachmentForm(),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request, pk: int):
    _writer(request)
    plan = _plan(request, pk)
    refused = _refused_when_frozen(request, plan)
    if refused:
        return refused
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            lambda: services.plan_update(plan=plan, data=form.cleaned_data, user=request.user),
        )
        if saved is not None:
            messages.success(request, _("The plan was saved."))
            return redirect(saved)
    return _form_page(
        request, "plans/plan_form.html", {"cluster": plan.cluster, "plan": plan}, form
    )


@login_required
def plan_approve(request, pk: int):
    """Record the steering committee's decision approving this version."""
    _writer(request)
    plan = _plan(request, pk)
    refused = _refused_when_frozen(request, plan)
    if refused:
        return refused
    form = ApproveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            lambda: services.plan_approve(
                plan=plan, decision=form.cleaned_data["decision"], user=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The plan version is approved and frozen."))
            return redirect(saved)
    return _form_page(request, "plans/plan_approve.html", {"plan": plan}, form)


@login_required
@require_POST
def plan_revise(request, pk: int):
    _writer(request)
    plan = _plan(request, pk)
    try:
        new = services.plan_revise(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    messages.success(
        request,
        _("Version %(version)s is a draft: change it, then approve it.") % {"version": new.version},
    )
    return redirect(new)


@login_required
def plan_changes(request, pk: int):
    """What changed from the version this one revises."""
    plan = _plan(request, pk)
    return render(request, "plans/plan_changes.html", {"changes": selectors.plan_changes(plan)})


# --- Studies ----------------------------------------------------------------------------------


@login_required
@require_POST
def study_add(request, pk: int):
    _writer(request)
    plan = _plan(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(plan)
    try:
        services.study_add(plan=plan, file=form.cleaned_data["file"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    messages.success(request, _("The study was attached."))
    return redirect(plan)


@login_required
def study_download(request, pk: int):
    """The study, only for users whose scope holds its plan; always as a download."""
    study = get_object_or_404(selectors.studies_in_scope(request.user), pk=pk)
    return attachment_response(study)


@login_required
@require_POST
def study_remove(request, pk: int):
    _writer(request)
    study = get_object_or_404(selectors.studies_in_scope(request.user), pk=pk)
    plan = study.plan
    return _done_then_back(
        request,
        lambda: services.study_delete(study=study, user=request.user),
        success=_("The study was removed."),
        back=plan,
    )


# --- Actions ----------------------------------------------------------------------------------


def _action_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


@login_required
def action_new(request, pk: int):
    _writer(request)
    plan = _plan(request, pk)
    refused = _refused_when_frozen(request, plan)
    if refused:
        return refused
    initial = {"currency": default_currency(user=request.user, cluster_id=plan.cluster_id)}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = _run(
            form,
            lambda: services.action_create(plan=plan, data=_action_data(form), user=request.user),
        )
        if action is not None:
            messages.success(request, _("The action was added."))
            return redirect(plan)
    return _form_page(request, "plans/action_form.html", {"plan": plan, "action": None}, form)


@login_required
def action_edit(request, pk: int):
    _writer(request)
    action = _action(request, pk)
    plan = action.plan
    refused = _refused_when_frozen(request, plan)
    if refused:
        return refused
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        saved = _run(
            form,
            lambda: services.action_update(
                action=action, data=_action_data(form), user=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The action was saved."))
            return redirect(plan)
    return _form_page(request, "plans/action_form.html", {"plan": plan, "action": action}, form)


@login_required
@require_POST
def action_remove(request, pk: int):
    _writer(request)
    action = _action(request, pk)
    plan = action.plan
    return _done_then_back(
        request,
        lambda: services.action_delete(action=action, user=request.user),
        success=_("The action was removed."),
        back=plan,
    )


# --- Activities done for an action ------------------------------------------------------------


@login_required
def action_link(request, pk: int):
    """Link an activity of the cluster's log to the action."""
    _writer(request)
    action = _action(request, pk)
    form = LinkForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        link = _run(
            form,
            lambda: services.action_activity_link(
                action=action, activity=form.cleaned_data["activity"], user=request.user
            ),
        )
        if link is not None:
            messages.success(request, _("The activity is linked to the action."))
            return redirect(action.plan)
    return _form_page(request, "plans/action_link.html", {"action": action}, form)


@login_required
@require_POST
def link_remove(request, pk: int):
    _writer(request)
    link = get_object_or_404(selectors.links_in_scope(request.user), pk=pk)
    plan = link.action.plan
    return _done_then_back(
        request,
        lambda: services.action_activity_unlink(link=link, user=request.user),
        success=_("The activity is no longer linked to the action."),
        back=plan,
    )


@login_required
def action_log(request, pk: int):
    """Log an activity for this action: the activity log's quick-entry form, in the plan's
    cluster; the activity is created by the log's own service, then linked."""
    _writer(request)
    action = _action(request, pk)
    cluster_id = action.plan.cluster_id
    initial = {
        "cluster": cluster_id,
        "title": action.title,
        "currency": default_currency(user=request.user, cluster_id=cluster_id),
    }
    form = ActivityForm(request.POST or None, initial=initial, user=request.user)
    form.fields["cluster"].queryset = form.fields["cluster"].queryset.filter(pk=cluster_id)
    form.fields["cluster"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {n: form.cleaned_data[n] for n in form.fields if n in form.cleaned_data}
        activity = _run(
            form,
            lambda: services.action_activity_log(action=action, data=data, user=request.user),
        )
        if activity is not None:
            messages.success(
                request,
                _("The activity “%(title)s” was logged for the action.") % {"title": activity},
            )
            return redirect(action.plan)
    return _form_page(request, "plans/action_log.html", {"action": action}, form)
