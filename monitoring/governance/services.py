"""Writes of the governance pages that reach beyond clusters.services: a meeting recorded
from the committee's pages is also logged in the activity log, through the activity service,
so that the one link between them (monitoring.activities.meetings) is made in one place."""

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from bsos.models import BSO
from clusters.models import Cluster, Meeting, SteeringCommittee
from clusters.services import meeting_create, meeting_update
from core.dates import span_covers
from monitoring.activities.selectors import latest_currency
from monitoring.activities.services import activity_create, activity_update
from monitoring.models.activities import ActivityType

# The activity's fields that are the meeting's under another name.
MEETING_FIELD_OF = {"date": "held_on"}


def _running_bso(*, user, cluster: Cluster, on: datetime.date) -> BSO | None:
    """Who ran the meeting, for its activity: BSO staff their own BSO (the activity rules check
    it supported the cluster then); administrators the cluster's lead BSO on the day (a partner
    if it had no lead), or None when no BSO supported it."""
    if user.role == Role.BSO_STAFF and not user.is_superuser:
        return user.bso
    support = (
        cluster.supports.filter(span_covers(on)).select_related("bso").order_by("role", "pk")
    ).first()
    return support.bso if support else None


def _as_meeting_error(error: ValidationError) -> ValidationError:
    """The activity's refusal said on the meeting's form: its date is the meeting's date, the
    rest concerns the meeting as a whole."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for name, messages in error.message_dict.items():
        errors.setdefault(MEETING_FIELD_OF.get(name, NON_FIELD_ERRORS), []).extend(messages)
    return ValidationError(errors)


@transaction.atomic
def steering_meeting_record(*, committee: SteeringCommittee, data: dict[str, Any], user) -> Meeting:
    """Record a meeting of the committee (attendance, minutes, decisions) and log it as a
    "steering committee meeting" activity of the BSO that ran it: one entry, both places.
    When the activity may not be logged (a date to come, a BSO that did not support the
    cluster then), nothing is recorded and the form says why. Without any BSO supporting the
    cluster on the day, the meeting is recorded alone."""
    meeting = meeting_create(data={**data, "committee": committee})
    bso = _running_bso(user=user, cluster=committee.cluster, on=meeting.held_on)
    if bso is None:
        return meeting
    activity = {
        "cluster": committee.cluster,
        "bso": bso,
        "date": meeting.held_on,
        "type": ActivityType.STEERING_MEETING,
        "title": _("Steering committee meeting"),
        "currency": latest_currency(cluster_id=committee.cluster_id) or "USD",
    }
    try:
        activity_create(data=activity, user=user)  # links the meeting just recorded
    except ValidationError as error:
        raise _as_meeting_error(error) from None
    return meeting


@transaction.atomic
def steering_meeting_change(*, meeting: Meeting, data: dict[str, Any], user) -> Meeting:
    """Change a meeting; the activity that logs it moves to the meeting's new date."""
    meeting = meeting_update(meeting=meeting, data=data)
    activity = getattr(meeting, "activity", None)  # reverse one-to-one: may be missing
    if activity is not None and activity.date != meeting.held_on:
        try:
            activity_update(activity=activity, data={"date": meeting.held_on}, user=user)
        except ValidationError as error:
            raise _as_meeting_error(error) from None
    return meeting
