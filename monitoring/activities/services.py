"""Writes for the activity log: log, change and delete activities, attach files to them.

Pages, the API, the spreadsheet import and the admin all call these, so the rules live here
once: who may log an activity for which cluster (accounts.scopes), which BSO may be named, the
action item's cluster, and which files may be attached (type checked by extension and by
content, size limited by the ACTIVITY_ATTACHMENT_MAX_BYTES setting).
"""

import io
import zipfile
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import clusters_in_scope, may_write_field_data
from bsos.models import ClusterSupport
from core.dates import span_covers
from core.errors import PermissionDenied
from monitoring.models.activities import Activity, ActivityAttachment
from programs.models import Enrolment

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

# Extension -> the content type we serve it with. ".jpeg" is stored as ".jpg".
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
MAX_ATTACHMENTS_PER_ACTIVITY = 20
SNIFF_BYTES = 64 * 1024


def require_activity_writer(user, cluster_id: int | None) -> None:
    """BSO staff (and administrators) log activities, and only for clusters in their scope."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff log activities."))
    if cluster_id is not None and not clusters_in_scope(user).filter(pk=cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


def _check(activity: Activity, user) -> None:
    """Rules that span fields and need the database; full_clean() does the rest."""
    errors: dict[str, list[str]] = {}
    if activity.date and activity.date > timezone.localdate():
        errors["date"] = [_("Log an activity once it has happened: this date is in the future.")]
    is_bso_staff = user.role == Role.BSO_STAFF and not user.is_superuser
    if is_bso_staff and activity.bso_id != user.bso_id:
        errors["bso"] = [_("You log activities for your own BSO.")]
    elif activity.bso_id and activity.cluster_id and activity.date:
        supported = ClusterSupport.objects.filter(
            span_covers(activity.date), bso_id=activity.bso_id, cluster_id=activity.cluster_id
        )
        if not supported.exists():
            errors["bso"] = [_("This BSO did not support the cluster on the activity's date.")]
    item = activity.action_item if activity.action_item_id else None
    if item and activity.cluster_id and item.committee.cluster_id != activity.cluster_id:
        errors["action_item"] = [_("The action item must belong to the same cluster.")]
    if activity.component_id and activity.cluster_id and activity.date:
        enrolled = Enrolment.objects.filter(
            span_covers(activity.date, start="enrolled_from", end="enrolled_until"),
            program_id=activity.component.program_id,
            cluster_id=activity.cluster_id,
        )
        if not enrolled.exists():
            errors["component"] = [
                _("The component's program did not enrol the cluster on the activity's date.")
            ]
    if errors:
        raise ValidationError(errors)


def _prepare(data: dict[str, Any], user) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    if data.get("bso") is None and user.role == Role.BSO_STAFF:
        data["bso"] = user.bso  # BSO staff log for their own BSO unless they say otherwise
    return data


@transaction.atomic
def activity_create(*, data: dict[str, Any], user) -> Activity:
    """Log an activity for a cluster in the user's scope."""
    data = _prepare(data, user)
    cluster = data.get("cluster")
    require_activity_writer(user, cluster.pk if cluster else None)
    activity = Activity(**data, created_by=user)
    activity.full_clean()
    _check(activity, user)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: dict[str, Any], user) -> Activity:
    """Change a logged activity; moving it to another cluster needs that cluster in scope too."""
    require_activity_writer(user, activity.cluster_id)
    data = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    for name, value in data.items():
        setattr(activity, name, value)
    require_activity_writer(user, activity.cluster_id)
    activity.full_clean()
    _check(activity, user)
    activity.save()
    return activity


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


def attachment_max_bytes() -> int:
    return int(getattr(settings, "ACTIVITY_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_extension(name: str) -> str:
    """The file name's extension, lower case, ".jpeg" as "jpg"; "" without one."""
    _stem, dot, extension = (name or "").rpartition(".")
    extension = extension.lower() if dot else ""
    return EXTENSION_ALIASES.get(extension, extension)


def _content_matches(extension: str, file: BinaryIO) -> bool:
    """Does the content look like the type its name claims? A renamed executable or web page
    must not pass as a PDF or a CSV."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("xlsx", "docx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        marker = "xl/workbook.xml" if extension == "xlsx" else "word/document.xml"
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        finally:
            file.seek(0)
        return marker in names and "[Content_Types].xml" in names
    if extension == "csv":
        if b"\x00" in head or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return False  # binary, or a web page renamed .csv
        for encoding in ("utf-8", "cp1252"):
            try:
                # A multi-byte character may be cut at the end of the sniffed block.
                head.decode(encoding) if len(head) < SNIFF_BYTES else head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
        return False
    return False


def attachment_check(*, name: str, size: int, file: BinaryIO) -> str:
    """The file's extension if it may be attached; ValidationError saying why not otherwise."""
    extension = attachment_extension(name)
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Attach a file of one of these types: %(types)s.")
                % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    limit = attachment_max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(size)s MB.")
                % {"size": f"{limit / (1024 * 1024):g}"}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if not _content_matches(extension, file):
        raise ValidationError(
            {"file": _("The file's content is not a .%(type)s file.") % {"type": extension}}
        )
    return extension


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
