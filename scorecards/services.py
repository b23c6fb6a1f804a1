"""Writes for the plan: periods, template versions, cluster scorecards and their own KPIs."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scopes import may_review, may_set_target, may_write_field_data
from clusters.models import Cluster
from core.errors import PermissionDenied
from core.services import model_create, model_update
from core.staleness import mark_stale
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Level,
    OwnKPI,
    Period,
    Target,
    Template,
)


@transaction.atomic
def periods_generate(*, first_year: int, last_year: int, deadline_days: int = 30) -> int:
    """Create the quarters and years of a range (existing ones are kept); return the new count."""
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first.")})
    created: list[int] = []
    for year in range(first_year, last_year + 1):
        for quarter in range(0, 5):
            starts_on, ends_on = Period.bounds(year, quarter)
            period, was_created = Period.objects.get_or_create(
                year=year,
                quarter=quarter,
                defaults={
                    "kind": Period.Kind.YEAR if quarter == 0 else Period.Kind.QUARTER,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "deadline": ends_on + datetime.timedelta(days=deadline_days),
                },
            )
            if was_created:
                created.append(period.pk)
    if created:  # new periods have clusters expected to report: their rollups show coverage
        mark_stale(period_ids=created, reason="periods generated")
    return len(created)


@transaction.atomic
def template_publish(*, template: Template) -> Template:
    """Publish a draft version: from now on it is frozen."""
    if template.status != Template.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be published."))
    template.status = Template.Status.PUBLISHED
    template.published_at = timezone.now()
    template.full_clean()
    template.save(update_fields=["status", "published_at", "updated_at"])
    return template


@transaction.atomic
def template_new_version(*, template: Template) -> Template:
    """Copy a version's tree into a new draft version (same code, next number) to edit."""
    latest = Template.objects.filter(code=template.code).order_by("-version").first()
    draft = Template.objects.get(pk=template.pk)
    draft.pk = None
    draft.version = latest.version + 1
    draft.status = Template.Status.DRAFT
    draft.published_at = None
    draft.save()
    for perspective in template.perspectives.prefetch_related("csfs__kpis"):
        csfs = list(perspective.csfs.all())
        perspective.pk, perspective.template = None, draft
        perspective.save()
        for csf in csfs:
            placements = list(csf.kpis.all())
            csf.pk, csf.perspective = None, perspective
            csf.save()
            for placement in placements:
                placement.pk, placement.csf = None, csf
                placement.save()
    return draft


@transaction.atomic
def scorecard_adopt(*, cluster: Cluster, template: Template, on: datetime.date) -> ClusterScorecard:
    """Make a published template version the cluster's scorecard from a date on.

    The previous scorecard ends the day before; the cluster's accepted own KPIs move along,
    under the CSF of the same name where the new version has one.
    """
    previous = ClusterScorecard.objects.filter(cluster=cluster, until__isnull=True).first()
    if previous:
        if previous.template_id == template.pk:
            return previous
        previous.until = max(on - datetime.timedelta(days=1), previous.adopted_on)
        previous.full_clean()
        previous.save(update_fields=["until", "updated_at"])
    scorecard = model_create(
        model=ClusterScorecard, data={"cluster": cluster, "template": template, "adopted_on": on}
    )
    # which clusters are expected to report these KPIs changed
    templates = [template.pk] + ([previous.template_id] if previous else [])
    mark_stale(
        kpi_ids=KPI.objects.filter(
            placements__csf__perspective__template__in=templates
        ).values_list("pk", flat=True),
        reason="scorecard adopted",
    )
    if previous:
        csfs = {c.name_en: c for c in CSF.objects.filter(perspective__template=template)}
        for own in previous.own_kpis.select_related("csf"):
            if own.csf.name_en in csfs:
                own.scorecard, own.csf = scorecard, csfs[own.csf.name_en]
                own.save(update_fields=["scorecard", "csf"])
    return scorecard


@transaction.atomic
def own_kpi_propose(*, scorecard: ClusterScorecard, csf: CSF, data: dict[str, Any], user) -> KPI:
    """A cluster proposes one of its own (participatory) KPIs under a CSF of its scorecard."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff propose a cluster's own KPIs."))
    kpi = model_create(
        model=KPI,
        data={
            **data,
            "cluster": scorecard.cluster,
            "status": KPI.Status.PROPOSED,
            "proposed_by": user,
        },
    )
    placement = OwnKPI(scorecard=scorecard, csf=csf, kpi=kpi)
    placement.full_clean()
    placement.save()
    return kpi


@transaction.atomic
def own_kpi_decide(*, kpi: KPI, accept: bool, user) -> KPI:
    """A program officer accepts or rejects a proposed own KPI."""
    if not may_review(user):
        raise PermissionDenied(_("Only program officers accept or reject a cluster's own KPIs."))
    if kpi.cluster_id is None or kpi.status != KPI.Status.PROPOSED:
        raise ValidationError(_("Only a proposed cluster KPI can be accepted or rejected."))
    kpi.status = KPI.Status.ACCEPTED if accept else KPI.Status.REJECTED
    kpi.save(update_fields=["status", "updated_at"])
    return kpi


@transaction.atomic
def target_set(*, kpi: KPI, period: Period, level: str, unit, value, user) -> Target:
    """Set (or change) a KPI's target for a period at one level, if the user's role may."""
    if not may_set_target(user, level=level, unit=unit):
        raise PermissionDenied(_("Your role cannot set targets at this level for this unit."))
    if not kpi.is_core and level != Level.CLUSTER:
        raise ValidationError({"level": _("A cluster's own KPI has cluster targets only.")})
    units = dict.fromkeys(("cluster", "country", "region", "program"))
    if level != Level.GLOBAL:
        units[level] = unit
    target = Target.objects.filter(kpi=kpi, period=period, level=level, **units).first()
    target = target or Target(kpi=kpi, period=period, level=level, **units)
    target.value, target.set_by = value, user
    target.full_clean()
    target.save()
    mark_stale(kpi_ids=[kpi.pk], period_ids=[period.pk], reason="target set")
    return target


@transaction.atomic
def baseline_set(*, cluster: Cluster, kpi: KPI, data: dict[str, Any]) -> Baseline:
    """Set a cluster's baseline for a KPI (one per cluster and KPI)."""
    baseline = Baseline.objects.filter(cluster=cluster, kpi=kpi).first() or Baseline(
        cluster=cluster, kpi=kpi
    )
    for field, value in data.items():
        setattr(baseline, field, value)
    baseline.full_clean()
    baseline.save()
    mark_stale(kpi_ids=[kpi.pk], reason="baseline set")
    return baseline


@transaction.atomic
def target_delete(*, target: Target, unit, user) -> None:
    """Remove a target, if the user's role may set it."""
    if not may_set_target(user, level=target.level, unit=unit):
        raise PermissionDenied(_("Your role cannot set targets at this level for this unit."))
    mark_stale(kpi_ids=[target.kpi_id], period_ids=[target.period_id], reason="target removed")
    target.delete()


@transaction.atomic
def own_kpi_edit(*, kpi: KPI, data: dict[str, Any], user) -> KPI:
    """Edit a cluster's own KPI while it is still a proposal."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff edit a cluster's own KPIs."))
    if kpi.is_core or kpi.status != KPI.Status.PROPOSED:
        raise ValidationError(_("Only a cluster KPI that is still proposed can be edited."))
    kpi, _changed = model_update(instance=kpi, data=data, fields=list(data))
    return kpi
