"""Switching a cluster's publication on and off: the one path for the page (and the admin)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, Decision
from public.models import Publication
from scorecards.models import KPI


def decisions_of(cluster: Cluster):
    """The decisions of the cluster's steering committee, newest meeting first."""
    return (
        Decision.objects.filter(meeting__committee__cluster=cluster)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")
    )


@transaction.atomic
def publication_set(
    *,
    cluster: Cluster,
    published: bool,
    decision: Decision | None,
    withheld_kpis: list[KPI],
    by,
) -> Publication:
    """Publish the cluster's results (naming its steering committee's decision) or stop, and
    say which KPIs it keeps unpublished. The history keeps every switch, by whom."""
    errors = {}
    if decision is not None and not decisions_of(cluster).filter(pk=decision.pk).exists():
        errors["decision"] = _("The decision must be one of this cluster's steering committee.")
    elif published and decision is None:
        errors["decision"] = _(
            "Name the steering committee's decision to publish: results are published only "
            "when the cluster decided so."
        )
    if any(kpi.cluster_id not in (None, cluster.pk) for kpi in withheld_kpis):
        errors["withheld_kpis"] = _("Another cluster's own KPI is not this cluster's to withhold.")
    if errors:
        raise ValidationError(errors)
    publication = Publication.objects.select_for_update().filter(cluster=cluster).first()
    publication = publication or Publication(cluster=cluster)
    publication.published = published
    publication.decision = decision
    publication.changed_by = by
    publication._history_user = by
    publication.save()
    publication.withheld_kpis.set(withheld_kpis)
    return publication
