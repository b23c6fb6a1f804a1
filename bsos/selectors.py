"""Read queries for BSOs and the clusters they support."""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

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


# --- Directory downloads: the same columns as the page's tables -----------------------------

CLUSTER_DIRECTORY_HEADERS = [
    _("Cluster"),
    _("Locality"),
    _("Country"),
    _("Sector"),
    _("Sector family"),
    _("Type"),
    _("Stage"),
    _("Supported by"),
]

BSO_DIRECTORY_HEADERS = [
    _("BSO"),
    _("Kind"),
    _("Country"),
    _("City"),
    _("Clusters supported"),
]


def cluster_directory_rows(clusters: Iterable[Cluster]) -> Iterator[list]:
    """Rows of cluster_directory_list(): the supporting BSOs in one cell, the lead marked."""
    for cluster in clusters:
        supports = [
            f"{s.bso.name} ({_('lead')})" if s.role == ClusterSupport.Role.LEAD else s.bso.name
            for s in cluster.current_supports
        ]
        yield [
            cluster.name,
            cluster.locality,
            cluster.country.name,
            cluster.sector,
            cluster.get_sector_family_display(),
            cluster.get_cluster_type_display(),
            cluster.get_lifecycle_stage_display(),
            "; ".join(supports),
        ]


def bso_directory_rows(bsos: Iterable[BSO]) -> Iterator[list]:
    """Rows of bso_directory_list(): the number of clusters supported today stays a number."""
    for bso in bsos:
        yield [bso.name, bso.get_kind_display(), bso.country.name, bso.city, bso.clusters_supported]
