"""The map's part of a page: read its choices from the query string (`map_kpi`, `map_period`,
`map_by`), call dashboards.maps and hand the partial template its context."""

from django.utils.translation import gettext as _

from dashboards import maps

MAP_PARAMS = ("map_kpi", "map_period", "map_by")


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def map_context(
    request, *, clusters, kpi_choices, period, periods=(), scoped=False, map_id="cluster-map"
) -> dict:
    """Context of templates/dashboards/_cluster_map.html. `period` is the page's period (or
    the default when `periods` are offered to choose from); `kpi_choices` the KPIs to colour by
    (the first by default); `scoped`: `clusters` are all in the user's scope. Above
    dashboards.maps.MAP_MAX clusters, no map: the page says so (one query to count them)."""
    count = clusters.count()
    if count > maps.MAP_MAX:
        return {"map_id": map_id, "too_many": maps.MAP_MAX, "map_count": count}
    if periods:
        wanted_period = _int(request.GET.get("map_period"))
        period = next((p for p in periods if p.pk == wanted_period), period)
    wanted = _int(request.GET.get("map_kpi"))
    kpi = next((k for k in kpi_choices if k.pk == wanted), kpi_choices[0] if kpi_choices else None)
    cmap = maps.cluster_map(
        request.user,
        clusters=clusters,
        kpi=kpi,
        period=period,
        colour_by=request.GET.get("map_by", maps.STATUS),
        title=_("Map of the clusters"),
        dom_id=map_id,
        scoped=scoped,
    )
    cmap.kpi_choices, cmap.periods = list(kpi_choices), list(periods)
    carry = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in MAP_PARAMS and name not in ("page", "format")
        for value in values
    ]
    return {
        "cmap": cmap,
        "map_id": map_id,
        "map_carry": carry,
        "colour_by_choices": list(maps.COLOUR_BY.items()),
    }
