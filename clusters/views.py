"""Cluster pages: the signed-in user's clusters and a cluster's profile (with governance in scope).

The public directory lives in bsos.views: it lists BSOs and filters clusters by BSO, and
bsos sits to the right of clusters in the layering.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.scopes import clusters_in_scope, scope_queryset
from clusters import selectors
from clusters.models import Cluster

HOME_PAGE_SIZE = 50


def home(request):
    """Signed-in users: the clusters in their scope. Anonymous visitors: the public directory."""
    if not request.user.is_authenticated:
        return redirect("directory")
    clusters = scope_queryset(selectors.cluster_list(), request.user, cluster_field="pk")
    page = Paginator(clusters, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clusters/home.html", {"page_obj": page})


def cluster_detail(request, pk: int):
    """The public profile and supporting BSOs; the steering committee only within scope."""
    cluster = get_object_or_404(selectors.cluster_detail(), pk=pk)
    in_scope = clusters_in_scope(request.user).filter(pk=cluster.pk).exists()
    context = {
        "cluster": cluster,
        "supports": selectors.cluster_current_supports(cluster),
        "in_scope": in_scope,
        "governance": _governance(cluster) if in_scope else None,
    }
    return render(request, "clusters/cluster_detail.html", context)


def _governance(cluster: Cluster) -> dict:
    """What the steering committee block shows; `committee` is None when none is recorded."""
    committee = getattr(cluster, "committee", None)  # reverse one-to-one: may be missing
    if committee is None:
        return {"committee": None}
    composition = selectors.committee_composition(committee)
    today = timezone.localdate()
    return {
        "committee": committee,
        "members_count": composition["members"],
        "private_percent": _percent(composition["private_share"]),
        "women_percent": _percent(composition["women_share"]),
        "last_meeting_on": selectors.committee_last_meeting_date(committee),
        "open_items": selectors.committee_open_items(committee, today=today),
        "members": selectors.committee_current_members(committee),
        "today": today,
    }


def _percent(share: float | None) -> float | None:
    """A 0..1 share as a percentage; the template rounds it (floatformat, half up)."""
    return None if share is None else share * 100
