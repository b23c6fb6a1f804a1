"""Writes of the knowledge exchange: case studies (with their images) and exchange visits, their
publication, and a visit logged as an activity of each of its clusters.

BSO staff (and administrators) write, for clusters in their scope (accounts.scopes); a visit is
theirs to write when either of its clusters is. Images are checked as activity attachments are
(core.uploads: by extension and by content, the same size limit), PNG and JPEG only. Activities
are logged through monitoring's own service (activities_create_many), with its rules.
"""

import io
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import clusters_in_scope, may_write_field_data
from bsos.models import BSO, ClusterSupport
from clusters.models import Cluster
from core.currencies import currency_of_country
from core.dates import span_covers
from core.errors import PermissionDenied
from core.uploads import UploadRefused, attachment_extension, attachment_max_bytes, upload_check
from monitoring.activities.services import activities_create_many
from monitoring.models import Activity, ActivityType
from public.exchange.models import CaseStudy, CaseStudyImage, ExchangeVisit, Topic
from scorecards.models import KPI

IMAGE_TYPES = ("png", "jpg")
MAX_IMAGES_PER_CASE_STUDY = 12
CASE_STUDY_FIELDS = ("cluster", "title", "summary", "body", "sector_family")
VISIT_FIELDS = ("host", "visitor", "starts_on", "ends_on", "purpose", "women", "men", "learnt")


def require_writer(user, clusters: Iterable[Cluster | None]) -> None:
    """BSO staff and administrators write, for a cluster in their scope (any of `clusters`)."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff write case studies and exchange visits."))
    ids = [c.pk for c in clusters if c is not None]
    if not ids or not clusters_in_scope(user).filter(pk__in=ids).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


def _publish(item, *, published: bool, user) -> None:
    if published and not item.published:
        item.published_at, item.published_by = timezone.now(), user
    elif not published:
        item.published_at = item.published_by = None
    item.published = published


# --- Case studies -------------------------------------------------------------------------------


@transaction.atomic
def case_study_save(
    *,
    data: dict[str, Any],
    topics: Iterable[Topic] = (),
    kpis: Iterable[KPI] = (),
    user,
    case_study: CaseStudy | None = None,
) -> CaseStudy:
    """Write a case study of a cluster in the user's scope (a new one without `case_study`)."""
    if case_study is not None:
        require_writer(user, [case_study.cluster])
    case_study = case_study or CaseStudy(created_by=user)
    for name in CASE_STUDY_FIELDS:
        if name in data:
            setattr(case_study, name, data[name])
    require_writer(user, [getattr(case_study, "cluster", None)])
    kpis = list(kpis)
    if any(k.cluster_id not in (None, case_study.cluster_id) for k in kpis):
        raise ValidationError({"kpis": _("Another cluster's own KPI is not this cluster's.")})
    case_study.full_clean()
    case_study.save()
    case_study.topics.set(list(topics))
    case_study.kpis.set(kpis)
    return case_study


@transaction.atomic
def case_study_publish(*, case_study: CaseStudy, published: bool, user) -> CaseStudy:
    """Publish the case study (anyone may read it) or take it back."""
    require_writer(user, [case_study.cluster])
    _publish(case_study, published=published, user=user)
    case_study.save(update_fields=["published", "published_at", "published_by", "updated_at"])
    return case_study


@transaction.atomic
def case_study_image_add(
    *, case_study: CaseStudy, file, alt_text: str, caption: str = "", user
) -> CaseStudyImage:
    """Add a PNG or JPEG picture to a case study, checked by content like an attachment."""
    require_writer(user, [case_study.cluster])
    if case_study.images.count() >= MAX_IMAGES_PER_CASE_STUDY:
        message = _("A case study holds at most %(n)d images.")
        raise ValidationError({"file": message % {"n": MAX_IMAGES_PER_CASE_STUDY}})
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = attachment_extension(name)
    if extension not in IMAGE_TYPES:
        raise ValidationError({"file": _("Add a PNG or JPEG image.")})
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    limit = attachment_max_bytes()
    if size > limit:
        message = _("The file is too large: at most %(size)s MB.")
        raise ValidationError({"file": message % {"size": f"{limit / (1024 * 1024):g}"}})
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    try:
        upload_check(file, kind=extension)
    except UploadRefused as refusal:
        raise ValidationError({"file": str(refusal)}) from None
    image = CaseStudyImage(
        case_study=case_study, extension=extension, alt_text=alt_text, caption=caption
    )
    image.file.save(name, File(file), save=False)
    try:
        image.full_clean()
        image.save()
    except Exception:
        default_storage.delete(image.file.name)
        raise
    return image


# --- Exchange visits ----------------------------------------------------------------------------


@transaction.atomic
def visit_save(*, data: dict[str, Any], user, visit: ExchangeVisit | None = None) -> ExchangeVisit:
    """Write an exchange visit; either cluster must be in the user's scope (before and after)."""
    if visit is not None:
        require_writer(user, [visit.host, visit.visitor])
    visit = visit or ExchangeVisit(created_by=user)
    for name in VISIT_FIELDS:
        if name in data:
            setattr(visit, name, data[name])
    require_writer(user, [getattr(visit, "host", None), getattr(visit, "visitor", None)])
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_publish(*, visit: ExchangeVisit, published: bool, user) -> ExchangeVisit:
    """Publish the visit (anyone may read it) or take it back."""
    require_writer(user, [visit.host, visit.visitor])
    _publish(visit, published=published, user=user)
    visit.save(update_fields=["published", "published_at", "published_by", "updated_at"])
    return visit


def _bso_for(cluster: Cluster, *, user, on) -> BSO | None:
    """The BSO an activity of the cluster names: the user's own (BSO staff: None, and the
    activity service names it), else the BSO that supported the cluster on the day, the lead
    first."""
    if user.role == Role.BSO_STAFF:
        return None
    support = (
        ClusterSupport.objects.filter(span_covers(on), cluster=cluster)
        .select_related("bso")
        .order_by("role", "since", "pk")  # "lead" sorts before "partner"
        .first()
    )
    return support.bso if support else None


@transaction.atomic
def visit_log_activities(*, visit: ExchangeVisit, user) -> list[Activity]:
    """Log the visit as an exchange-visit activity of each of its clusters in the user's scope
    that has none yet (so never twice); returns the activities logged now (none: nothing left
    to log). Logged through monitoring's activity service, with its rules."""
    require_writer(user, [visit.host, visit.visitor])
    visit = (
        ExchangeVisit.objects.select_for_update()
        .select_related("host__country", "visitor__country")
        .get(pk=visit.pk)
    )
    in_scope = set(
        clusters_in_scope(user)
        .filter(pk__in=[visit.host_id, visit.visitor_id])
        .values_list("pk", flat=True)
    )
    sides = []
    if visit.host_activity_id is None and visit.host_id in in_scope:
        title = _("Hosted an exchange visit of %(cluster)s") % {"cluster": visit.visitor.name}
        sides.append(("host_activity", visit.host, title))
    if visit.visitor_activity_id is None and visit.visitor_id in in_scope:
        title = _("Exchange visit to %(cluster)s") % {"cluster": visit.host.name}
        sides.append(("visitor_activity", visit.visitor, title))
    rows = [
        {
            "cluster": cluster,
            "bso": _bso_for(cluster, user=user, on=visit.starts_on),
            "date": visit.starts_on,
            "type": ActivityType.EXCHANGE_VISIT,
            "title": title[:200],
            "description": visit.purpose,
            "women": visit.women,
            "men": visit.men,
            "outcome": visit.learnt,
            "currency": currency_of_country(cluster.country.code) or "USD",
        }
        for _field, cluster, title in sides
    ]
    if not rows:
        return []
    activities = activities_create_many(rows=rows, user=user)
    for (field, _cluster, _title), activity in zip(sides, activities, strict=True):
        setattr(visit, field, activity)
    visit.save(update_fields=["host_activity", "visitor_activity", "updated_at"])
    return activities
