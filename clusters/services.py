"""Writes for clusters and their steering committees; pages, API and admin all call these."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, Meeting, Region
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
    """Change a meeting; a given list of decisions replaces the recorded ones."""
    decisions = data.pop("decisions", None)
    committee = data.get("committee", meeting.committee)
    attendees = data.get("attendees", meeting.attendees.all())
    _check_attendees(committee_id=committee.pk, attendees=attendees)
    meeting, _changed = model_update(instance=meeting, data=data, fields=MEETING_FIELDS)
    if decisions is not None:
        meeting.decisions.all().delete()
        for text in decisions:
            meeting.decisions.create(text=text)
    return meeting


# Where a cluster belongs decides which totals it counts in, and its status whether it is
# expected to report: a change of either makes the rollups stale.
MEMBERSHIP_FIELDS = {"country", "status"}


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
