"""Public pages: the regional collaboration directory (clusters and BSOs) and a BSO's profile.

The directory sits here rather than in clusters.views because it lists BSOs and filters
clusters by BSO, and bsos depends on clusters, never the other way round.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from bsos import selectors
from bsos.api.filters import BSOFilter
from bsos.models import BSO
from clusters.api.filters import ClusterFilter
from clusters.models import ClusterType, LifecycleStage, SectorFamily
from clusters.selectors import country_list, region_list
from core.exports import FORMATS, export_response

DIRECTORY_PAGE_SIZE = 25


def directory(request):
    """Clusters (default tab) or BSOs (`?show=bsos`), filtered with the API's own FilterSets.

    `?format=csv|xlsx` downloads every row of the tab shown under the same filters (the tab
    is the table: `show` picks it, as on the page).
    """
    show_bsos = request.GET.get("show") == "bsos"
    if show_bsos:
        filterset = BSOFilter(request.GET, queryset=selectors.bso_directory_list())
    else:
        filterset = ClusterFilter(request.GET, queryset=selectors.cluster_directory_list())
    if request.GET.get("format") in FORMATS:
        if show_bsos:
            headers, rows = selectors.BSO_DIRECTORY_HEADERS, selectors.bso_directory_rows
        else:
            headers, rows = selectors.CLUSTER_DIRECTORY_HEADERS, selectors.cluster_directory_rows
        return export_response(
            headers=headers,
            rows=rows(filterset.qs),
            filename="directory-bsos" if show_bsos else "directory-clusters",
            fmt=request.GET["format"],
        )
    page = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": "bsos" if show_bsos else "clusters",
        "page_obj": page,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
        "countries": country_list(),
        "bso_kinds": BSO.Kind.choices,
    }
    if not show_bsos:
        context |= {
            "regions": region_list(),
            "bsos": selectors.bso_list(),
            "sector_families": SectorFamily.choices,
            "cluster_types": ClusterType.choices,
            "lifecycle_stages": LifecycleStage.choices,
        }
    return render(request, "bsos/directory.html", context)


def bso_detail(request, pk: int):
    """A BSO's public profile and the clusters it supports today."""
    bso = get_object_or_404(selectors.bso_detail(), pk=pk)
    return render(request, "bsos/bso_detail.html", {"bso": bso})
