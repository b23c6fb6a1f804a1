"""Public pages: the regional collaboration directory (clusters and BSOs) and a BSO's profile.

The directory sits here rather than in clusters.views because it lists BSOs and filters
clusters by BSO, and bsos depends on clusters, never the other way round.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.scopes import scope_queryset
from bsos import selectors
from bsos.filters import DirectoryBSOFilter, DirectoryClusterFilter
from core.exports import FORMATS, export_response
from core.filters import rows_or_none
from core.history.views import history_page

DIRECTORY_PAGE_SIZE = 25


def directory(request):
    """Clusters (default tab) or BSOs (`?show=bsos`), filtered with the API's own FilterSets.

    `?format=csv|xlsx` downloads every row of the tab shown under the same filters (the tab
    is the table: `show` picks it, as on the page). A filter value the FilterSet refuses shows
    its error on the page (400), with no rows and no download.
    """
    show_bsos = request.GET.get("show") == "bsos"
    if show_bsos:
        filterset = DirectoryBSOFilter(request.GET, queryset=selectors.bso_directory_list())
    else:
        filterset = DirectoryClusterFilter(request.GET, queryset=selectors.cluster_directory_list())
    valid = filterset.is_valid()
    if valid and request.GET.get("format") in FORMATS:
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
    rows = rows_or_none(filterset)
    page = Paginator(rows, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"tab": "bsos" if show_bsos else "clusters", "page_obj": page, "filter": filterset}
    return render(request, "bsos/directory.html", context, status=200 if valid else 400)


def bso_detail(request, pk: int):
    """A BSO's public profile and the clusters it supports today."""
    bso = get_object_or_404(selectors.bso_detail(), pk=pk)
    # The supports whose history the user may read: those of clusters in their scope.
    with_history = set()
    if request.user.is_authenticated:
        supports = scope_queryset(selectors.support_list().filter(bso=bso), request.user)
        with_history = set(supports.values_list("pk", flat=True))
    return render(request, "bsos/bso_detail.html", {"bso": bso, "with_history": with_history})


@login_required
def support_history(request, pk: int):
    """Changes of a BSO's support of a cluster in the user's scope (the directory is public,
    who changed it is not)."""
    supports = scope_queryset(selectors.support_list(), request.user)
    support = get_object_or_404(supports, pk=pk)
    return history_page(request, support, back_url=support.bso.get_absolute_url())
