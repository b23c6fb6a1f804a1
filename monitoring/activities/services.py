"""Writes for the activity log: log, change and delete activities, attach files to them.

Pages, the API, the spreadsheet import and the admin all call these, so the rules live here
once: who may log an activity for which cluster (accounts.scopes), which BSO may be named, the
action item's cluster, and which files may be attached (type checked by extension and by
content in core.uploads, size limited by the ACTIVITY_ATTACHMENT_MAX_BYTES setting).
"""

import copy
import io
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from accounts.scopes import clusters_in_scope, may_write_field_data
from core.errors import PermissionDenied
from core.uploads import ATTACHMENT_TYPES, attachment_check  # noqa: F401 (re-exported)
from monitoring.activities.meetings import steering_meeting_follow, steering_meetings_link
from monitoring.activities.rules import activities_refusals
from monitoring.models.activities import Activity, ActivityAttachment

# What a page, the API or the import may set; the rest (who logged it, when) is ours.
ACTIVITY_FIELDS = (
    "cluster",
    "bso",
    "date",
    "type",
    "title",
    "description",
    "firms",
    "women",
    "men",
    "cost_program",
    "cost_firms",
    "cost_public",
    "cost_credit",
    "currency",
    "action_item",
    "component",
    "outcome",
)

# The firms of the registry that took part: a many-to-many, set once the activity is saved.
PARTICIPANTS = "participant_firms"

MAX_ATTACHMENTS_PER_ACTIVITY = 20


def require_activity_writer(user, cluster_id: int | None) -> None:
    """BSO staff (and administrators) log activities, and only for clusters in their scope."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff log activities."))
    if cluster_id is not None and not clusters_in_scope(user).filter(pk=cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


class ActivitiesRefused(Exception):
    """Rows of a set-wise write that break a rule: row index -> the error (a ValidationError or
    a PermissionDenied) that activity_create raises for that row alone."""

    def __init__(self, errors: dict[int, ValidationError | PermissionDenied]):
        super().__init__(errors)
        self.errors = errors


def _prepare(data: dict[str, Any], user) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    if data.get("bso") is None and user.role == Role.BSO_STAFF:
        data["bso"] = user.bso  # BSO staff log for their own BSO unless they say otherwise
    return data


def activities_build(*, rows: Sequence[dict[str, Any]], user) -> list[Activity]:
    """The unsaved activities the rows describe, as activity_create would build them; the firms
    that took part, when a row names them, ride along as `participants` (rules check them)."""
    activities = []
    for data in rows:
        activity = Activity(**_prepare(data, user), created_by=user)
        activity.participants = list(data[PARTICIPANTS]) if data.get(PARTICIPANTS) else None
        activities.append(activity)
    return activities


def _participants_save(activities: Sequence[Activity], *, replace: bool = False) -> None:
    """Write the firms that took part of each activity that names them, in one INSERT."""
    through = Activity.participant_firms.through
    named = [a for a in activities if getattr(a, "participants", None) is not None]
    if replace and named:
        through.objects.filter(activity_id__in=[a.pk for a in named]).delete()
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, firm_id=firm.pk)
            for activity in named
            for firm in {firm.pk: firm for firm in activity.participants}.values()
        ]
    )


@transaction.atomic
def activities_create_many(*, rows: Sequence[dict[str, Any]], user) -> list[Activity]:
    """Log several activities at once, all or none (ActivitiesRefused says which rows break
    which rule): activity_create's rules, checked for all rows with a fixed number of queries,
    then one bulk insert."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff log activities."))
    activities = activities_build(rows=rows, user=user)
    refusals = activities_refusals(activities=activities, user=user)
    if refusals:
        raise ActivitiesRefused(refusals)
    steering_meetings_link(activities)
    # One INSERT for the activities and one for their history rows, by this user.
    saved = bulk_create_with_history(activities, Activity, default_user=user)
    for activity, built in zip(saved, activities, strict=True):
        activity.participants = built.participants
    _participants_save(saved)
    return saved


def activity_create(*, data: dict[str, Any], user) -> Activity:
    """Log an activity for a cluster in the user's scope."""
    try:
        return activities_create_many(rows=[data], user=user)[0]
    except ActivitiesRefused as refused:
        raise refused.errors[0] from None


def _apply(activity: Activity, data: dict[str, Any]) -> None:
    if PARTICIPANTS in data:
        activity.participants = list(data[PARTICIPANTS] or [])
    data = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    for name, value in data.items():
        setattr(activity, name, value)


@transaction.atomic
def activity_update(*, activity: Activity, data: dict[str, Any], user) -> Activity:
    """Change a logged activity; moving it to another cluster needs that cluster in scope too."""
    require_activity_writer(user, activity.cluster_id)
    _apply(activity, data)
    refusals = activities_refusals(activities=[activity], user=user)
    if refusals:
        raise refusals[0]
    steering_meeting_follow(activity)
    activity.save()
    _participants_save([activity], replace=True)
    return activity


def activity_refusal(
    *, data: dict[str, Any], user, activity: Activity | None = None
) -> ValidationError | PermissionDenied | None:
    """Why activity_create (or activity_update of `activity`) would refuse these data, or None;
    writes nothing. A form whose other inputs did not parse asks this for the errors of the
    inputs that did, so that it shows them all at once."""
    if activity is None:
        built = activities_build(rows=[data], user=user)[0]
    else:
        built = copy.copy(activity)
        _apply(built, data)
    try:
        return activities_refusals(activities=[built], user=user).get(0)
    except PermissionDenied as denied:
        return denied


@transaction.atomic
def activity_delete(*, activity: Activity, user) -> None:
    """Delete an activity and, once that is committed, its files."""
    require_activity_writer(user, activity.cluster_id)
    names = list(activity.attachments.values_list("file", flat=True))
    activity.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- Attachments ------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, activity: Activity, file, user) -> ActivityAttachment:
    """Attach an uploaded file (a Django UploadedFile, or any named binary file) to an activity."""
    require_activity_writer(user, activity.cluster_id)
    if activity.attachments.count() >= MAX_ATTACHMENTS_PER_ACTIVITY:
        message = _("An activity holds at most %(n)d files.")
        raise ValidationError({"file": message % {"n": MAX_ATTACHMENTS_PER_ACTIVITY}})
    name = getattr(file, "name", "") or ""
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    extension = attachment_check(name=name, size=size, file=file)
    attachment = ActivityAttachment(
        activity=activity, extension=extension, original_name=name, size=size, uploaded_by=user
    )
    attachment.file.save(name, File(file), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        default_storage.delete(attachment.file.name)
        raise
    # Django has no on-rollback hook: should an outer transaction roll back, the file stays
    # behind, harmless (a random name, never served without its row).
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ActivityAttachment, user) -> None:
    """Remove an attachment and, once that is committed, its file."""
    require_activity_writer(user, attachment.activity.cluster_id)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_files([name]))
