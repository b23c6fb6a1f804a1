"""Writes for clusters and their steering committees; pages, API and admin all call these."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Meeting
from core.services import model_create, model_update

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
