"""Writes for clusters and their steering committees; pages, API and admin all call these."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusters.models import (
    MEMBER_FIELDS,
    ActionItem,
    Cluster,
    CommitteeMember,
    Meeting,
    Region,
    SteeringCommittee,
)
from core.services import model_create, model_update
from core.staleness import mark_stale

MEETING_FIELDS = ["committee", "held_on", "location", "minutes", "attendees"]


def _check_attendees(*, committee_id: int, attendees) -> None:
    strangers = [m for m in attendees if m.committee_id != committee_id]
    if strangers:
        raise ValidationError(
            {"attendees": _("Attendees must be members of the meeting's committee.")}
        )


@transaction.atomic
def meeting_create(*, data: dict[str, Any]) -> Meeting:
    """Record a committee meeting with its attendance and decisions."""
    decisions = data.pop("decisions", [])
    _check_attendees(committee_id=data["committee"].pk, attendees=data.get("attendees", []))
    meeting = model_create(model=Meeting, data=data)
    for text in decisions:
        meeting.decisions.create(text=text)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting; a given list of decisions replaces the recorded ones (see
    `_decisions_replace`: a decision kept keeps its action items)."""
    decisions = data.pop("decisions", None)
    committee = data.get("committee", meeting.committee)
    attendees = data.get("attendees", meeting.attendees.all())
    _check_attendees(committee_id=committee.pk, attendees=attendees)
    meeting, _changed = model_update(instance=meeting, data=data, fields=MEETING_FIELDS)
    if decisions is not None:
        _decisions_replace(meeting=meeting, texts=decisions)
    return meeting


def _decisions_replace(*, meeting: Meeting, texts: list[str]) -> None:
    """Make the meeting's decisions these texts, in order. A decision whose text is unchanged
    stays the same row; the other recorded ones take the changed texts in order (an edited
    decision keeps the action items linked to it); what is left over is added or deleted."""
    recorded = list(meeting.decisions.order_by("pk"))
    by_text = {}
    for decision in recorded:
        by_text.setdefault(decision.text, []).append(decision)
    kept, changed = set(), []
    for text in texts:
        if by_text.get(text):
            kept.add(by_text[text].pop(0).pk)
        else:
            changed.append(text)
    spare = [d for d in recorded if d.pk not in kept]
    for decision, text in zip(spare, changed, strict=False):
        decision.text = text
        decision.full_clean()
        decision.save(update_fields=["text"])
    for text in changed[len(spare) :]:
        meeting.decisions.create(text=text)
    for decision in spare[len(changed) :]:
        decision.delete()


# --- Committees, their members and action items ---------------------------------------------

COMMITTEE_FIELDS = ["name", "established_on"]
ACTION_ITEM_FIELDS = ["committee", "meeting", "decision", "title", "owner", "due_on", "status"]


@transaction.atomic
def committee_save(
    *, committee: SteeringCommittee | None, data: dict[str, Any]
) -> SteeringCommittee:
    """Create a cluster's steering committee (data names the cluster) or change its name and
    the date it was established."""
    if committee is None:
        return model_create(model=SteeringCommittee, data=data)
    if "cluster" in data and data["cluster"].pk != committee.cluster_id:
        raise ValidationError({"cluster": _("A committee cannot move to another cluster.")})
    committee, _changed = model_update(instance=committee, data=data, fields=COMMITTEE_FIELDS)
    return committee


@transaction.atomic
def committee_member_save(
    *, member: CommitteeMember | None, data: dict[str, Any]
) -> CommitteeMember:
    """Seat a member on a committee (data names the committee) or change a seat; a member stays
    on the committee they were seated on."""
    if member is None:
        return model_create(model=CommitteeMember, data=data)
    if "committee" in data and data["committee"].pk != member.committee_id:
        raise ValidationError({"committee": _("A member cannot move to another committee.")})
    member, _changed = model_update(instance=member, data=data, fields=list(MEMBER_FIELDS))
    return member


@transaction.atomic
def action_item_save(*, item: ActionItem | None, data: dict[str, Any]) -> ActionItem:
    """Create or change an action item: its owner, meeting and decision belong to its
    committee, and naming a decision without a meeting puts it on the decision's meeting
    (ActionItem.clean)."""
    if data.get("decision") is not None and data.get("meeting") is None:
        data = {**data, "meeting": data["decision"].meeting}
    if item is None:
        return model_create(model=ActionItem, data=data)
    item, _changed = model_update(instance=item, data=data, fields=ACTION_ITEM_FIELDS)
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    """Move an action item to a status (open, in progress, done, cancelled)."""
    item, _changed = model_update(instance=item, data={"status": status}, fields=["status"])
    return item


# Where a cluster belongs decides which totals it counts in, and its status whether it is
# expected to report: a change of either makes the rollups stale.
MEMBERSHIP_FIELDS = {"country", "status"}


def _free_code(name: str) -> str:
    """A cluster code made of the name, numbered when taken (codes are unique)."""
    base = slugify(name)[:44] or "cluster"
    taken = set(Cluster.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def cluster_create(*, data: dict[str, Any]) -> Cluster:
    """Register a cluster (a code is made from its name when none is given); a new active
    cluster joins its country's rollups, so they are marked stale."""
    data = {**data}
    if not data.get("code"):
        data["code"] = _free_code(data.get("name", ""))
    cluster = model_create(model=Cluster, data=data)
    mark_stale(reason=f"cluster {cluster.pk} created")
    return cluster


@transaction.atomic
def cluster_update(*, cluster: Cluster, data: dict[str, Any], fields: list[str]) -> Cluster:
    """Change a cluster's profile; moving it or changing its status marks the rollups stale."""
    before = {name: getattr(cluster, name) for name in MEMBERSHIP_FIELDS}
    cluster, _changed = model_update(instance=cluster, data=data, fields=fields)
    if any(getattr(cluster, name) != value for name, value in before.items()):
        mark_stale(reason=f"cluster {cluster.pk} moved or changed status")
    return cluster


@transaction.atomic
def region_save(*, region: Region | None, data: dict[str, Any], fields: list[str]) -> Region:
    """Create or change a region; a change of its countries marks the rollups stale."""
    before = set(region.countries.values_list("pk", flat=True)) if region else set()
    if region is None:
        region = model_create(model=Region, data=data)
    else:
        region, _changed = model_update(instance=region, data=data, fields=fields)
    if set(region.countries.values_list("pk", flat=True)) != before:
        mark_stale(reason=f"region {region.pk} countries changed")
    return region


def membership_changed(*, reason: str) -> None:
    """For callers that changed where clusters belong in bulk (admin deletes, enrolments)."""
    mark_stale(reason=reason)
