"""The cluster dashboard page: one cluster's profile, scorecard with trends, reports, activities,
committee and funding (dashboards.cluster reads them all).

A cluster outside the user's scope answers 404. Every table downloads with
`?format=csv|xlsx&table=<name>` (dashboards.cluster.TABLES), built from the page's own rows.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope
from core.charts import line_chart
from dashboards import cluster as selectors
from dashboards.views.downloads import download_response
from monitoring.activities.charts import cost_share_chart

# Wide enough for the last label of a quarter ("2025-Q4") under the last point of eight.
TREND_WIDTH, TREND_HEIGHT = 300, 90


@login_required
def cluster_dashboard(request, pk: int):
    """A cluster's whole picture on one page, for a cluster in the user's scope."""
    user = request.user
    cluster = get_object_or_404(
        clusters_in_scope(user).select_related("country", "committee"), pk=pk
    )
    dashboard = selectors.cluster_dashboard(user, cluster=cluster, today=timezone.localdate())
    download = download_response(
        request,
        {name: (lambda build=build: build(dashboard)) for name, build in selectors.TABLES.items()},
        f"cluster-{cluster.code}",
    )
    if download:
        return download
    for latest in dashboard.scorecards:
        for line in latest.lines:
            if line.trend is not None and any(p.value is not None for p in line.trend):
                line.chart = line_chart(
                    [(p.period.label, p.value) for p in line.trend],
                    title=_("%(kpi)s over the last periods") % {"kpi": line.kpi.name},
                    width=TREND_WIDTH,
                    height=TREND_HEIGHT,
                )
    funding_chart = cost_share_chart(dashboard.cost_shares)
    context = {"cluster": cluster, "d": dashboard, "funding_chart": funding_chart}
    return render(request, "dashboards/cluster.html", context)
