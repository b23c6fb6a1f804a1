"""The rollup dashboards: national and regional dashboards and benchmarking.

Views parse the query string, call dashboards' selectors and render; the rules live in the
selectors (dashboards.selectors, .benchmark), scope in accounts.scopes, every number is
presented by monitoring.rollups.figures. An object outside the user's scope answers 404. Every
table downloads as CSV or XLSX with `?format=csv|xlsx` (and `&table=` on pages with several
tables), built from the same rows as the page (dashboards.tables).

Access is checked on every request (an object outside the scope answers 404); the page's body
is then served from the cache while the data behind it is unchanged (dashboards.page_cache,
core.cache); downloads are always built afresh.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, countries_in_scope, regions_in_scope
from core.charts import bar_chart, line_chart
from dashboards import page_cache, selectors, tables
from dashboards.views.downloads import download_response, wants_download
from dashboards.views.maps import map_context
from firms.selectors import firm_count_of_country
from monitoring.rollups import benchmark
from monitoring.rollups.figures import Figure
from scorecards.models import KPI, Level

REGION_DEFAULT_KPIS = 4
# The ranking shows the best clusters; its download holds them all (rendering hundreds of rows
# is what makes a page slow on a large program).
RANKING_SHOWN = 25


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# --- National -----------------------------------------------------------------------------------


def _national(request, country, *, ranking_figures: int | None = None) -> dict:
    """The national dashboard's numbers: periods offered and chosen, the KPIs by perspective
    and the ranking of the country's clusters (all of them; full figures for the first
    `ranking_figures`, None: all, as a download needs)."""
    user = request.user
    periods = selectors.unit_periods(level=Level.COUNTRY, unit_ids=[country.pk])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    groups, ranking, rank_kpi = [], [], None
    if period is not None:
        groups = selectors.national_kpis(user, country=country, period=period)
        kpis = [line.kpi for group in groups for line in group.lines]
        wanted = _int(request.GET.get("rank"))
        rank_kpi = next((k for k in kpis if k.pk == wanted), kpis[0] if kpis else None)
        if rank_kpi is not None:
            ranking = selectors.country_ranking(
                user, country=country, period=period, kpi=rank_kpi, figures=ranking_figures
            )
    return {
        "country": country,
        # Distinct: a firm in two of the country's clusters is one firm nationally.
        "firms": firm_count_of_country(country.pk),
        "periods": periods,
        "period": period,
        "groups": groups,
        "rank_kpi": rank_kpi,
        "ranking": ranking,
    }


@login_required
def country_dashboard(request, pk: int):
    """A country's core KPIs for a year or quarter by perspective, with trends, and its
    clusters ranked on a chosen KPI."""
    country = get_object_or_404(countries_in_scope(request.user), pk=pk)
    if wants_download(request):
        data = _national(request, country)
        period = data["period"]
        return download_response(
            request,
            {
                "kpis": lambda: tables.national_table(data["groups"]),
                "ranking": lambda: tables.ranking_table(data["ranking"]),
            },
            f"country-{country.code}-{period.label if period else 'none'}",
        )

    def context():
        data = _national(request, country, ranking_figures=RANKING_SHOWN)
        groups, ranking = data["groups"], data["ranking"]
        for group in groups:
            for line in group.lines:
                line.chart = line_chart(
                    [(p.label, _chart_value(f)) for p, f in line.trend],
                    title=_("%(kpi)s over the last periods") % {"kpi": line.kpi.name},
                    width=240,
                    height=90,
                )
        rank_choices = [line.kpi for group in groups for line in group.lines]
        return {
            **data,
            **map_context(
                request,
                clusters=clusters_in_scope(request.user).filter(country=country),
                kpi_choices=rank_choices,
                period=data["period"],
                scoped=True,
            ),
            "rank_choices": rank_choices,
            "ranking": ranking[:RANKING_SHOWN],
            "ranking_more": max(len(ranking) - RANKING_SHOWN, 0),
        }

    return page_cache.page(
        request,
        title=_("%(country)s: national dashboard") % {"country": country.name},
        template="dashboards/country.html",
        build_context=context,
    )


def _chart_value(f: Figure | None):
    """A point of a chart: the value as the table shows it (a share of yes as a percentage)."""
    return None if f is None else f.shown_value


# --- Regional -----------------------------------------------------------------------------------


def _regional(request, region) -> dict:
    """The regional dashboard's numbers: periods offered and chosen, the KPIs to choose from,
    the chosen ones and the table of the region's countries on them."""
    periods = selectors.unit_periods(level=Level.REGION, unit_ids=[region.pk])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    choices, chosen, table = [], [], None
    if period is not None:
        choices = list(selectors.rolled_kpis(level=Level.REGION, unit_id=region.pk, period=period))
        wanted = {_int(v) for v in request.GET.getlist("kpi")}
        chosen = [k for k in choices if k.pk in wanted] or choices[:REGION_DEFAULT_KPIS]
        table = selectors.region_table(request.user, region=region, period=period, kpis=chosen)
    return {
        "region": region,
        "periods": periods,
        "period": period,
        "kpi_choices": choices,
        "chosen_ids": [k.pk for k in chosen],
        "table": table,
    }


@login_required
def region_dashboard(request, pk: int):
    """A region's countries side by side on the chosen KPIs (`?kpi=` several times)."""
    region = get_object_or_404(regions_in_scope(request.user), pk=pk)
    if wants_download(request):
        data = _regional(request, region)
        period = data["period"]
        return download_response(
            request,
            {
                "countries": lambda: tables.region_export(
                    data["table"] or selectors.RegionTable([], [], []), region.name
                )
            },
            f"region-{region.code}-{period.label if period else 'none'}",
        )

    def context():
        data = _regional(request, region)
        table, charts = data["table"], []
        if table is not None:
            for index, kpi in enumerate(table.kpis):
                bars = [(c.code, _chart_value(figures[index])) for c, figures in table.countries]
                title = _("%(kpi)s by country") % {"kpi": kpi.name}
                charts.append({"title": title, "svg": bar_chart(bars, title=title, width=280)})
        return {
            **data,
            **map_context(
                request,
                clusters=clusters_in_scope(request.user).filter(
                    country__in=region.countries.values("pk")
                ),
                kpi_choices=data["kpi_choices"],
                period=data["period"],
                scoped=True,
            ),
            "charts": charts,
        }

    return page_cache.page(
        request,
        title=_("%(region)s: regional dashboard") % {"region": region.name},
        template="dashboards/region.html",
        build_context=context,
    )


# --- Benchmarking -------------------------------------------------------------------------------


def _benchmarking(request, *, every_figure: bool = False) -> dict:
    """The benchmarking page's choices (KPI, period, peer grouping) and its peer groups (with
    every listed peer's figure for a download, `every_figure`)."""
    periods = selectors.unit_periods(level=Level.GLOBAL, unit_ids=[0])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    grouping = request.GET.get("group")
    grouping = grouping if grouping in benchmark.GROUPINGS else "sector"
    kpis = list(KPI.objects.filter(cluster__isnull=True).order_by("code"))
    wanted = _int(request.GET.get("kpi"))
    kpi = next((k for k in kpis if k.pk == wanted), None)
    if kpi is None and period is not None:
        kpi = benchmark.default_kpi(request.user, kpis=kpis, period=period)
    groups = []
    if period is not None and kpi is not None:
        groups = benchmark.peer_groups(
            request.user, kpi=kpi, period=period, grouping=grouping, every_figure=every_figure
        )
    return {
        "periods": periods,
        "period": period,
        "kpis": kpis,
        "kpi": kpi,
        "groupings": benchmark.GROUPINGS,
        "grouping": grouping,
        "groups": groups,
        "normalised": kpi is not None and benchmark.normalises(kpi),
        "anonymised": benchmark.compares_with_platform(request.user),
        "min_peers": benchmark.MIN_PEERS,
    }


@login_required
def benchmark_dashboard(request):
    """The user's clusters compared within peer groups on one KPI (monitoring.rollups.benchmark)."""
    if wants_download(request):
        data = _benchmarking(request, every_figure=True)
        return download_response(
            request,
            {"peers": lambda: tables.benchmark_table(data["groups"])},
            f"benchmark-{data['grouping']}",
        )
    return page_cache.page(
        request,
        title=_("Benchmarking"),
        template="dashboards/benchmark.html",
        build_context=lambda: _benchmarking(request),
    )
