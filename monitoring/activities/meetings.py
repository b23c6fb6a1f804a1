"""A steering committee meeting is one entry in two places: the committee's meeting
(clusters.Meeting: attendance, minutes, decisions) and the activity log (an Activity of type
"steering committee meeting", linked by Activity.meeting). This module is the one place that
links them; every way in goes through it:

- logging the activity (the form, the API, the spreadsheet import: all through
  monitoring.activities.services) links it to the committee's meeting of that day, recording
  the meeting when there is none (`steering_meetings_link`), and refuses a second activity for
  a meeting already logged (`steering_meeting_refusals`);
- recording the meeting from the governance pages (monitoring.governance.services) logs its
  activity through the same service, which then finds the meeting and links it.

A cluster without a steering committee has no meeting to record: its activity stays unlinked.
All of it costs a fixed number of queries, whatever the number of activities.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusters.models import Meeting, SteeringCommittee
from monitoring.models.activities import Activity, ActivityType

Day = tuple[int, datetime.date]  # (cluster id, date)


def _meeting_days(activities: Sequence[Activity]) -> list[tuple[int, Day]]:
    """(index, (cluster, date)) of the activities that record a steering committee meeting."""
    return [
        (index, (activity.cluster_id, activity.date))
        for index, activity in enumerate(activities)
        if activity.type == ActivityType.STEERING_MEETING and activity.cluster_id and activity.date
    ]


def _meetings_on(days: list[Day]) -> dict[Day, tuple[int, int | None]]:
    """The recorded meetings of those clusters on those dates: (meeting id, id of the activity
    that logs it or None). One query."""
    if not days:
        return {}
    rows = Meeting.objects.filter(
        committee__cluster_id__in={cluster for cluster, _d in days},
        held_on__in={date for _c, date in days},
    ).values_list("committee__cluster_id", "held_on", "pk", "activity__pk")
    return {(cluster, held_on): (pk, activity) for cluster, held_on, pk, activity in rows}


def steering_meeting_refusals(activities: Sequence[Activity]) -> dict[int, ValidationError]:
    """Activities that would log a meeting a second time, by index: the committee's meeting of
    that day is already logged by another activity, or by an earlier one of these. One query."""
    days = _meeting_days(activities)
    recorded = _meetings_on([day for _i, day in days])
    refusals, seen = {}, set()
    for index, day in days:
        _meeting, logged_by = recorded.get(day, (None, None))
        mine = activities[index].pk
        if day in seen or (logged_by is not None and logged_by != mine):
            message = _("The steering committee's meeting of this day is already logged.")
            refusals[index] = ValidationError({"date": [message]})
        seen.add(day)
    return refusals


def steering_meetings_link(activities: Sequence[Activity]) -> None:
    """Before the activities are saved: give each one that records a steering committee
    meeting its committee's meeting of that day, recording the meetings that are missing (one
    insert for all). Activities of clusters without a committee stay unlinked. Checked first
    by `steering_meeting_refusals`."""
    days = _meeting_days(activities)
    if not days:
        return
    clusters = {cluster for _i, (cluster, _d) in days}
    committees = dict(
        SteeringCommittee.objects.filter(cluster_id__in=clusters).values_list("cluster_id", "pk")
    )
    recorded = _meetings_on([day for _i, day in days if day[0] in committees])
    missing = {}
    for _index, (cluster, date) in days:
        if cluster in committees and (cluster, date) not in recorded:
            missing[(cluster, date)] = Meeting(committee_id=committees[cluster], held_on=date)
    for meeting in missing.values():
        meeting.full_clean(exclude=["committee"], validate_unique=False)
    Meeting.objects.bulk_create(missing.values())
    for index, day in days:
        if day in recorded:
            activities[index].meeting_id = recorded[day][0]
        elif day in missing:
            activities[index].meeting = missing[day]


def steering_meeting_follow(activity: Activity) -> None:
    """After a logged activity changed (before it is saved): an activity that no longer records
    a steering committee meeting lets its meeting go (the meeting stays recorded); one whose
    date moved moves its meeting along; one not linked yet is linked."""
    if activity.type != ActivityType.STEERING_MEETING:
        activity.meeting = None
        return
    meeting = activity.meeting
    if meeting is not None and meeting.committee.cluster_id != activity.cluster_id:
        activity.meeting = meeting = None
    if meeting is None:
        steering_meetings_link([activity])
    elif meeting.held_on != activity.date:
        meeting.held_on = activity.date
        meeting.full_clean()  # one meeting per committee and day
        meeting.save(update_fields=["held_on", "updated_at"])
