"""`{% directory_map filter.qs %}`: the cluster map on the public directory (bsos' page).

A template tag so that bsos, below dashboards in the layers, need not import it: the directory
view knows nothing of maps; its template asks for one. Only clusters in the user's scope are
coloured (an anonymous visitor sees where the clusters are, no results).
"""

from django import template

from dashboards import maps
from dashboards.views.maps import map_context

register = template.Library()


@register.inclusion_tag("dashboards/_cluster_map.html", takes_context=True)
def directory_map(context, clusters, count: int):
    """The map of the directory's filtered clusters (`count`: how many, as the page counted)."""
    request = context["request"]
    if count > maps.MAP_MAX:
        return {"map_id": "cluster-map", "too_many": maps.MAP_MAX, "narrow": True}
    periods, kpis = [], []
    if request.user.is_authenticated:
        periods = maps.map_periods()
    period = None
    if periods:
        period = maps.selectors.default_period(periods)
        wanted = request.GET.get("map_period")
        period = next((p for p in periods if str(p.pk) == wanted), period)
        kpis = maps.map_kpis(period)
    return map_context(request, clusters=clusters, kpi_choices=kpis, period=period, periods=periods)
