"""Role home pages: /home/ sends each role to its own dashboard; administrators', BSO staff's and
program officers' dashboards (dashboards.roles reads them).

A dashboard of another role answers 404. The body is served from the cache while the data
behind it is unchanged (dashboards.page_cache); downloads are always built afresh.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import countries_in_scope, is_admin
from dashboards import page_cache, roles, tables
from dashboards.views.downloads import download_response, wants_download

# The BSO's reports to do: the most urgent first, all of them in the download.
TO_DO_SHOWN = 50
# The officer's clusters off track shown, by name; all of them in the download.
OFF_TRACK_SHOWN = 50


@login_required
def home(request):
    """Where signing in leads: each role to the dashboard made for its questions."""
    user = request.user
    if is_admin(user):
        return redirect("dashboard-admin")
    if user.role == Role.MINISTRY and user.country_id:
        return redirect("dashboard-country", pk=user.country_id)
    if user.role == Role.REGIONAL and user.region_id:
        return redirect("dashboard-region", pk=user.region_id)
    if user.role == Role.BSO_STAFF:
        return redirect("dashboard-bso")
    if user.role == Role.PROGRAM_OFFICER:
        return redirect("dashboard-officer")
    return redirect("home")


def _panels() -> dict:
    """Links for the panels to the pages of other apps: programs' portfolio, the activity log."""
    return {
        "portfolio_url": reverse("program-portfolio"),
        "activities_url": reverse("activity-list"),
    }


@login_required
def admin_dashboard(request):
    """Administrators: every national and regional dashboard, and how fresh the numbers are."""
    if not is_admin(request.user):
        raise Http404

    def context():
        countries, regions = roles.all_countries_and_regions()
        freshness = roles.rollup_freshness()
        return {"freshness": freshness, "countries": countries, "regions": regions, **_panels()}

    return page_cache.page(
        request,
        title=_("Administration dashboard"),
        template="dashboards/admin.html",
        build_context=context,
    )


@login_required
def bso_dashboard(request):
    """BSO staff: their clusters and the reports they owe (due or returned)."""
    user = request.user
    if not (user.role == Role.BSO_STAFF or is_admin(user)):
        raise Http404
    if wants_download(request):
        items = roles.bso_to_do(user, today=timezone.localdate())
        to_do = {"to-do": lambda: tables.to_do_table(items)}
        return download_response(request, to_do, "reports-to-do")

    def context():
        items = roles.bso_to_do(user, today=timezone.localdate())
        return {
            "clusters": roles.bso_clusters(user),
            "items": items,
            "items_shown": items[:TO_DO_SHOWN],
            "items_more": max(len(items) - TO_DO_SHOWN, 0),
            **_panels(),
        }

    return page_cache.page(
        request, title=_("My dashboard"), template="dashboards/bso.html", build_context=context
    )


@login_required
def officer_dashboard(request):
    """Program officers: the review queue and the clusters whose scorecard shows red."""
    user = request.user
    if not (user.role == Role.PROGRAM_OFFICER or is_admin(user)):
        raise Http404
    if wants_download(request):
        off_track = roles.clusters_off_track(user)
        return download_response(
            request, {"off-track": lambda: tables.off_track_table(off_track)}, "clusters-off-track"
        )

    def context():
        off_track = roles.clusters_off_track(user)
        return {
            "review_count": roles.review_count(user),
            "off_track": off_track,
            "off_track_shown": off_track[:OFF_TRACK_SHOWN],
            "off_track_more": max(len(off_track) - OFF_TRACK_SHOWN, 0),
            "countries": list(countries_in_scope(user).order_by("name")),
            **_panels(),
        }

    return page_cache.page(
        request, title=_("My dashboard"), template="dashboards/officer.html", build_context=context
    )
