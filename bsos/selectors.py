"""Read queries for BSOs and the clusters they support."""

from django.db.models import Count, Prefetch, QuerySet

from bsos.models import BSO, ClusterSupport
from clusters.models import Cluster
from clusters.selectors import cluster_list
from core.dates import span_covers


def bso_list() -> QuerySet[BSO]:
    return BSO.objects.select_related("country")


def support_list() -> QuerySet[ClusterSupport]:
    return ClusterSupport.objects.select_related("bso", "cluster")


def bso_detail() -> QuerySet[BSO]:
    """BSOs with the clusters they support today (and their countries) prefetched."""
    current = ClusterSupport.objects.current().select_related("cluster__country")
    return bso_list().prefetch_related(Prefetch("supports", current, to_attr="current_supports"))


# --- Pages -------------------------------------------------------------------------------


def _current_supports_with_bso() -> Prefetch:
    current = ClusterSupport.objects.current().select_related("bso").order_by("role", "bso__name")
    return Prefetch("supports", current, to_attr="current_supports")


def cluster_directory_list() -> QuerySet[Cluster]:
    """Directory rows: clusters with their country and the BSOs supporting them today."""
    return cluster_list().prefetch_related(_current_supports_with_bso()).order_by("name", "pk")


def bso_directory_list() -> QuerySet[BSO]:
    """Directory rows: BSOs with their country and how many clusters they support today."""
    return (
        bso_list()
        .annotate(clusters_supported=Count("supports", filter=span_covers(prefix="supports__")))
        .order_by("name", "pk")
    )
