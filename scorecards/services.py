"""Writes for the plan: periods, template versions, cluster scorecards and their own KPIs."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster
from core.services import model_create
from scorecards.models import CSF, KPI, ClusterScorecard, OwnKPI, Period, Template


@transaction.atomic
def periods_generate(*, first_year: int, last_year: int, deadline_days: int = 30) -> int:
    """Create the quarters and years of a range (existing ones are kept); return the new count."""
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first.")})
    created = 0
    for year in range(first_year, last_year + 1):
        for quarter in range(0, 5):
            starts_on, ends_on = Period.bounds(year, quarter)
            _period, was_created = Period.objects.get_or_create(
                year=year,
                quarter=quarter,
                defaults={
                    "kind": Period.Kind.YEAR if quarter == 0 else Period.Kind.QUARTER,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "deadline": ends_on + datetime.timedelta(days=deadline_days),
                },
            )
            created += was_created
    return created


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
def own_kpi_decide(*, kpi: KPI, accept: bool) -> KPI:
    """A program officer accepts or rejects a proposed own KPI."""
    if kpi.cluster_id is None or kpi.status != KPI.Status.PROPOSED:
        raise ValidationError(_("Only a proposed cluster KPI can be accepted or rejected."))
    kpi.status = KPI.Status.ACCEPTED if accept else KPI.Status.REJECTED
    kpi.save(update_fields=["status", "updated_at"])
    return kpi
