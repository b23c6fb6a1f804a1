"""What is published: the one answer every public output (the IATI file today) reads.

A cluster's results are public when its Publication is switched on (a steering committee's
decision, recorded); of those, only approved values count, and never those of a KPI the cluster
keeps unpublished. Nothing else about a cluster's results is ever public.
"""

from django.db.models import Exists, OuterRef, QuerySet

from clusters.models import Cluster
from monitoring.models import Measurement, Report
from public.models import Publication

WithheldKPI = Publication.withheld_kpis.through


def published_clusters() -> QuerySet[Cluster]:
    """Clusters whose results are public."""
    return Cluster.objects.filter(publication__published=True)


def published_values(clusters: QuerySet[Cluster] | None = None) -> QuerySet[Measurement]:
    """Approved KPI values of published clusters, less each cluster's withheld KPIs (of
    `clusters` only, when given)."""
    withheld = WithheldKPI.objects.filter(
        publication__cluster_id=OuterRef("report__cluster_id"), kpi_id=OuterRef("kpi_id")
    )
    values = Measurement.objects.filter(
        report__state=Report.State.APPROVED,
        report__cluster__in=published_clusters().values("pk"),
    ).exclude(Exists(withheld))
    if clusters is not None:
        values = values.filter(report__cluster__in=clusters.values("pk"))
    return values


def publication_of(cluster: Cluster) -> Publication | None:
    """The cluster's publication choice, with its decision and withheld KPIs (None: never set)."""
    return (
        Publication.objects.select_related("decision__meeting", "changed_by")
        .prefetch_related("withheld_kpis")
        .filter(cluster=cluster)
        .first()
    )
