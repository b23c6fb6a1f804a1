"""Governance pages: a cluster's steering committee (members, meetings newest first with their
minutes and decisions, open action items), and the forms that record them.

Everything is reached through the cluster, read from the user's scope (accounts.scopes): a
cluster, committee, member, meeting or action item outside it answers 404. Everyone with the
cluster in scope reads; BSO staff and administrators write (accounts.scopes.
may_write_field_data), the others get 403 on a form. Views parse input, call one service and
render; the rules are in clusters.services and monitoring.governance.services.
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import clusters_in_scope, may_write_field_data
from clusters import selectors, services
from clusters.models import ActionItem, Cluster, SteeringCommittee
from core.errors import PermissionDenied
from monitoring.governance import forms
from monitoring.governance.services import steering_meeting_change, steering_meeting_record

MEETINGS_PER_PAGE = 10


def _cluster(request, pk: int) -> Cluster:
    return get_object_or_404(
        clusters_in_scope(request.user).select_related("country", "committee"), pk=pk
    )


def _committee(request, pk: int) -> SteeringCommittee:
    committee = getattr(_cluster(request, pk), "committee", None)
    if committee is None:
        raise Http404
    return committee


def _require_writer(request) -> None:
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only the cluster's BSO staff record its governance."))


def _committee_url(committee: SteeringCommittee) -> str:
    return reverse("committee", args=[committee.cluster_id])


def _saved(form, save):
    """Run the service on a valid form; its errors go back onto the form (None then)."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error)) from error
    return None


def _form_page(request, form, *, committee, cluster, title, back):
    context = {
        "form": form,
        "cluster": cluster,
        "committee": committee,
        "title": title,
        "back": back,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "governance/form.html", context, status=status)


@login_required
def committee(request, pk: int):
    """The committee page: members, meetings (newest first, paged) and open action items."""
    cluster = _cluster(request, pk)
    committee = getattr(cluster, "committee", None)
    context = {
        "cluster": cluster,
        "committee": committee,
        "may_write": may_write_field_data(request.user),
        "today": timezone.localdate(),
    }
    if committee is not None:
        meetings = Paginator(selectors.committee_meetings(committee), MEETINGS_PER_PAGE)
        context.update(
            members=selectors.committee_members(committee),
            meetings=meetings.get_page(request.GET.get("page")),
            open_items=selectors.committee_open_items(committee, today=context["today"]),
            status_choices=ActionItem.Status.choices,
        )
    return render(request, "governance/committee.html", context)


@login_required
def committee_edit(request, pk: int):
    """Record the cluster's steering committee, or change its name and founding date."""
    _require_writer(request)
    cluster = _cluster(request, pk)
    committee = getattr(cluster, "committee", None)
    form = forms.CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST":
        data = {"cluster": cluster}
        saved = _saved(
            form,
            lambda cleaned: services.committee_save(committee=committee, data={**cleaned, **data}),
        )
        if saved is not None:
            messages.success(request, _("The steering committee was saved."))
            return redirect(_committee_url(saved))
    title = _("Edit the steering committee") if committee else _("Record the steering committee")
    back = reverse("committee", args=[cluster.pk])
    return _form_page(request, form, committee=committee, cluster=cluster, title=title, back=back)


@login_required
def member_form(request, pk: int, member_pk: int | None = None):
    """Seat a member on the committee, or change a seat (its end date ends it)."""
    _require_writer(request)
    committee = _committee(request, pk)
    member = get_object_or_404(committee.members, pk=member_pk) if member_pk else None
    form = forms.MemberForm(request.POST or None, instance=member)
    if request.method == "POST":
        saved = _saved(
            form,
            lambda cleaned: services.committee_member_save(
                member=member, data={**cleaned, "committee": committee}
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect(f"{_committee_url(committee)}#members")
    title = _("Edit a member") if member else _("Add a member")
    return _form_page(
        request,
        form,
        committee=committee,
        cluster=committee.cluster,
        title=title,
        back=f"{_committee_url(committee)}#members",
    )


@login_required
def meeting_detail(request, pk: int, meeting_pk: int):
    """One meeting: attendance, minutes, decisions, the action items agreed, its activity."""
    committee = _committee(request, pk)
    meeting = get_object_or_404(selectors.committee_meetings(committee), pk=meeting_pk)
    context = {
        "cluster": committee.cluster,
        "committee": committee,
        "meeting": meeting,
        "items": selectors.meeting_action_items(meeting),
        "may_write": may_write_field_data(request.user),
        "status_choices": ActionItem.Status.choices,
    }
    return render(request, "governance/meeting.html", context)


@login_required
def meeting_form(request, pk: int, meeting_pk: int | None = None):
    """Record a meeting (and log it in the activity log), or change one."""
    _require_writer(request)
    committee = _committee(request, pk)
    meeting = get_object_or_404(committee.meetings, pk=meeting_pk) if meeting_pk else None
    form = forms.MeetingForm(request.POST or None, instance=meeting, committee=committee)
    if request.method == "POST":
        if meeting is None:
            save = lambda cleaned: steering_meeting_record(  # noqa: E731
                committee=committee, data=dict(cleaned), user=request.user
            )
        else:
            save = lambda cleaned: steering_meeting_change(  # noqa: E731
                meeting=meeting, data=dict(cleaned), user=request.user
            )
        saved = _saved(form, save)
        if saved is not None:
            messages.success(request, _("The meeting was saved."))
            return redirect("meeting", pk=committee.cluster_id, meeting_pk=saved.pk)
    title = _("Edit the meeting") if meeting else _("Record a meeting")
    back = (
        reverse("meeting", args=[committee.cluster_id, meeting.pk])
        if meeting
        else _committee_url(committee)
    )
    return _form_page(
        request, form, committee=committee, cluster=committee.cluster, title=title, back=back
    )


@login_required
def action_item_form(request, pk: int, item_pk: int | None = None):
    """Create an action item (from a meeting's decision: ?decision=), or change one."""
    _require_writer(request)
    committee = _committee(request, pk)
    item = get_object_or_404(committee.action_items, pk=item_pk) if item_pk else None
    initial = {}
    if item is None:
        for name in ("meeting", "decision"):
            value = request.GET.get(name, "")
            if value.isdigit() and len(value) < 19:
                initial[name] = int(value)
    form = forms.ActionItemForm(
        request.POST or None, instance=item, initial=initial, committee=committee
    )
    if request.method == "POST":
        saved = _saved(
            form,
            lambda cleaned: services.action_item_save(
                item=item, data={**cleaned, "committee": committee}
            ),
        )
        if saved is not None:
            messages.success(request, _("The action item was saved."))
            if saved.meeting_id:
                return redirect("meeting", pk=committee.cluster_id, meeting_pk=saved.meeting_id)
            return redirect(f"{_committee_url(committee)}#action-items")
    title = _("Edit an action item") if item else _("Add an action item")
    return _form_page(
        request,
        form,
        committee=committee,
        cluster=committee.cluster,
        title=title,
        back=f"{_committee_url(committee)}#action-items",
    )


@login_required
@require_POST
def action_item_status(request, pk: int, item_pk: int):
    """Move an action item to another status, from the committee or meeting page."""
    _require_writer(request)
    committee = _committee(request, pk)
    item = get_object_or_404(committee.action_items, pk=item_pk)
    form = forms.ActionItemStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(item=item, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": item.title, "status": item.get_status_display().lower()},
        )
    else:
        messages.error(request, _("Choose one of the statuses offered."))
    back = request.POST.get("next", "")
    if back.startswith(reverse("committee", args=[committee.cluster_id])):
        return redirect(back)
    return redirect(f"{_committee_url(committee)}#action-items")
