"""The cluster map: clusters on a map of their countries, coloured by a KPI's status or value.

Reads clusters (their coordinates, else their country's point), and, for the clusters in the
user's scope only, the chosen KPI's cluster value in the chosen period through the scorecard's
own readers (monitoring.rollups.selectors.cluster_rollups and figures: the status colours and
values the dashboards show). A cluster outside the scope (or any, for an anonymous visitor)
is placed but not coloured. core.maps draws the SVG; the page shows the same markers as a table.
A fixed number of queries whatever the number of clusters (tests/dashboards/test_maps.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import clusters_in_scope
from clusters.models import Cluster
from core import maps
from dashboards import selectors
from monitoring.rollups import selectors as rollup_selectors
from monitoring.rollups.figures import Figure, figure
from scorecards.models import KPI, Level, Period
from scorecards.scoring import STATUS_LABELS, Status

STATUS, VALUE = "status", "value"
COLOUR_BY = {STATUS: gettext_lazy("Status"), VALUE: gettext_lazy("Value")}
STATUS_COLOURS = {
    Status.GREEN: "#2e7d32",
    Status.AMBER: "#f2a900",
    Status.RED: "#c62828",
    Status.GREY: "#9aa5b1",
}
# A map of more clusters than this is heavy on a slow link, unreadable, and costs a page time
# that grows with the program: the directory asks for narrower filters instead, a dashboard says
# where the values are.
MAP_MAX = 600
NOT_SHOWN = "#ffffff"  # placed, not coloured: out of scope or no KPI chosen
# Light to dark blue: five equal steps from the lowest value shown to the highest.
VALUE_COLOURS = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]


@dataclass
class MapMarker:
    cluster: Cluster
    placed: str  # "coordinates", "country" or "" (not on the map: no shape for its country)
    figure: Figure | None = None
    colour: str = NOT_SHOWN
    in_scope: bool = False

    @property
    def status(self) -> str:
        return self.figure.status if self.figure else ""

    @property
    def label(self) -> str:
        parts = [self.cluster.name, self.cluster.country.name]
        if self.figure is not None:
            value = self.figure.shown_value
            parts.append(str(STATUS_LABELS[self.figure.status]))
            if value is not None:
                parts.append(_("value %(value)s") % {"value": f"{value.normalize():f}"})
        elif self.in_scope:
            parts.append(str(STATUS_LABELS[Status.GREY]))
        return ", ".join(parts)


@dataclass
class LegendEntry:
    colour: str
    label: str


@dataclass
class ClusterMap:
    svg: SafeString
    markers: list[MapMarker]
    kpi: KPI | None
    period: Period | None
    colour_by: str
    kpi_choices: list[KPI] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)


def map_periods() -> list[Period]:
    """Periods with rolled-up values anywhere, latest first (the directory's choice). One query."""
    return selectors.unit_periods(level=Level.GLOBAL, unit_ids=[0])


def map_kpis(period: Period | None) -> list[KPI]:
    """Core KPIs with values in the period (the KPIs a map may be coloured by). One query."""
    if period is None:
        return []
    return list(selectors.rolled_kpis(level=Level.GLOBAL, unit_id=0, period=period))


def _value_colour(value: Decimal, low: Decimal, high: Decimal) -> str:
    if high == low:
        return VALUE_COLOURS[-1]
    step = int((value - low) / (high - low) * len(VALUE_COLOURS))
    return VALUE_COLOURS[min(step, len(VALUE_COLOURS) - 1)]


def _value_legend(low: Decimal, high: Decimal) -> list[LegendEntry]:
    if high == low:
        return [LegendEntry(VALUE_COLOURS[-1], f"{low.normalize():f}")]
    width = (high - low) / len(VALUE_COLOURS)
    return [
        LegendEntry(
            colour,
            f"{(low + width * i).quantize(Decimal('0.01')).normalize():f} to "
            f"{(low + width * (i + 1)).quantize(Decimal('0.01')).normalize():f}",
        )
        for i, colour in enumerate(VALUE_COLOURS)
    ]


def cluster_map(
    user,
    *,
    clusters: QuerySet[Cluster],
    kpi: KPI | None,
    period: Period | None,
    colour_by: str,
    title: str,
    dom_id: str = "cluster-map",
    scoped: bool = False,
) -> ClusterMap:
    """The clusters of `clusters` on a map of their countries, those in the user's scope
    coloured by the KPI's status (or value, `colour_by`) in the period. `scoped`: `clusters`
    is already within the user's scope (a dashboard's), so it is not checked again."""
    colour_by = colour_by if colour_by in COLOUR_BY else STATUS
    rows = list(clusters.select_related("country").order_by("name", "pk"))
    if scoped:
        scope_ids = {c.pk for c in rows}
    else:
        in_scope = clusters_in_scope(user).filter(pk__in=[c.pk for c in rows])
        scope_ids = set(in_scope.values_list("pk", flat=True))
    figures: dict[int, Figure] = {}
    if kpi is not None and period is not None and scope_ids:
        for row in rollup_selectors.cluster_rollups(
            period_ids=[period.pk], cluster_ids=sorted(scope_ids), kpi_ids=[kpi.pk]
        ):
            figures[row.unit_id] = figure(row, stale_index=None)
    markers, legend = [], []
    for cluster in rows:
        if cluster.latitude is not None and cluster.longitude is not None:
            placed = "coordinates"
        else:
            placed = "country" if maps.country_point(cluster.country.code) else ""
        colourable = cluster.pk in scope_ids and kpi is not None
        markers.append(
            MapMarker(
                cluster,
                placed,
                figures.get(cluster.pk),
                STATUS_COLOURS[Status.GREY] if colourable else NOT_SHOWN,
                cluster.pk in scope_ids,
            )
        )
    if kpi is not None and scope_ids:
        if colour_by == STATUS:
            for m in markers:
                if m.figure is not None:
                    m.colour = STATUS_COLOURS[m.figure.status]
            legend = [LegendEntry(STATUS_COLOURS[s], str(STATUS_LABELS[s])) for s in STATUS_COLOURS]
        else:
            values = [m.figure.shown_value for m in markers if m.figure and m.figure.has_value]
            if values:
                low, high = min(values), max(values)
                for m in markers:
                    if m.figure is not None and m.figure.has_value:
                        m.colour = _value_colour(m.figure.shown_value, low, high)
                legend = _value_legend(low, high)
            legend.append(LegendEntry(STATUS_COLOURS[Status.GREY], str(STATUS_LABELS[Status.GREY])))
    if any(not m.in_scope for m in markers):
        legend.append(LegendEntry(NOT_SHOWN, _("Results not shown")))
    svg = maps.country_map(
        countries=sorted({c.country.code for c in rows}),
        markers=[_marker(m) for m in markers if m.placed],
        title=title,
        description=_description(kpi, period, colour_by, len(markers)),
        dom_id=dom_id,
    )
    return ClusterMap(svg, markers, kpi, period, colour_by, legend=legend)


def _marker(m: MapMarker) -> maps.Marker:
    cluster = m.cluster
    if m.placed == "coordinates":
        lon, lat = float(cluster.longitude), float(cluster.latitude)
    else:
        lon, lat = maps.country_point(cluster.country.code)
    return maps.Marker(
        key=str(cluster.pk),
        longitude=lon,
        latitude=lat,
        label=m.label,
        colour=m.colour,
        href=cluster.get_absolute_url(),
        status=m.status,
    )


def _description(kpi, period, colour_by, count) -> str:
    if kpi is None or period is None:
        return _("%(count)s clusters placed on a map of their countries.") % {"count": count}
    return _(
        "%(count)s clusters placed on a map of their countries, coloured by the %(by)s of "
        "%(kpi)s in %(period)s. The table below lists the same clusters."
    ) % {
        "count": count,
        "by": str(COLOUR_BY[colour_by]).lower(),
        "kpi": kpi.name,
        "period": period.label,
    }
