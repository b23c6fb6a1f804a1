"""Read queries for BSOs and the clusters they support."""

from django.db.models import Prefetch, QuerySet

from bsos.models import BSO, ClusterSupport


def bso_list() -> QuerySet[BSO]:
    return BSO.objects.select_related("country")


def support_list() -> QuerySet[ClusterSupport]:
    return ClusterSupport.objects.select_related("bso", "cluster")


def bso_detail() -> QuerySet[BSO]:
    """BSOs with the clusters they support today (and their countries) prefetched."""
    current = ClusterSupport.objects.current().select_related("cluster__country")
    return bso_list().prefetch_related(Prefetch("supports", current, to_attr="current_supports"))
