"""Dashboard pages: a home for every role, national and regional dashboards, benchmarking.

Views parse the query string, call dashboards' selectors and render; the rules live in the
selectors (dashboards.selectors, .benchmark, .roles), scope in accounts.scopes, scores in
scorecards.scoring. An object outside the user's scope answers 404, a dashboard of another
role too. Every table downloads as CSV or XLSX with `?format=csv|xlsx` (and `&table=` on
pages with several tables), built from the same rows as the page (dashboards.tables).

Access is checked on every request (an object outside the scope answers 404); the page's body
is then served from the cache while the data behind it is unchanged (dashboards.page_cache,
core.cache); downloads are always built afresh.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import countries_in_scope, is_admin, regions_in_scope
from core.charts import bar_chart, line_chart
from core.exports import FORMATS, export_response
from dashboards import benchmark, page_cache, roles, selectors, tables
from scorecards.models import KPI, Level

REGION_DEFAULT_KPIS = 4
# The ranking shows the best clusters; its download holds them all (rendering hundreds of rows
# is what makes a page slow on a large program).
RANKING_SHOWN = 25
# Likewise the BSO's reports to do: the most urgent first, all of them in the download.
TO_DO_SHOWN = 50


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _wants_download(request) -> bool:
    return request.GET.get("format") in FORMATS


def download_response(request, available: dict, filename: str):
    """The download asked for by `?format=` (and `?table=`), or None to render the page.
    `available` maps table names to functions building a tables.Table (built only if asked)."""
    fmt = request.GET.get("format")
    if fmt not in FORMATS:
        return None
    name = request.GET.get("table") or next(iter(available))
    if name not in available:
        raise Http404(_("No such table."))
    table = available[name]()
    return export_response(
        headers=table.headers, rows=table.rows, filename=f"{filename}-{name}", fmt=fmt
    )


# --- Home by role -------------------------------------------------------------------------------


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
    """Links for the panels of pages other apps are building (None until their URL exists)."""
    return {
        "portfolio_url": roles.optional_url("program-portfolio", "portfolio", "program-list"),
        "activities_url": roles.optional_url("activity-list", "activities"),
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
    if _wants_download(request):
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
    if _wants_download(request):
        off_track = roles.clusters_off_track(user)
        return download_response(
            request, {"off-track": lambda: tables.off_track_table(off_track)}, "clusters-off-track"
        )

    def context():
        return {
            "review_count": roles.review_count(user),
            "off_track": roles.clusters_off_track(user),
            "countries": list(countries_in_scope(user).order_by("name")),
            **_panels(),
        }

    return page_cache.page(
        request, title=_("My dashboard"), template="dashboards/officer.html", build_context=context
    )


# --- National -----------------------------------------------------------------------------------


def _national(request, country) -> dict:
    """The national dashboard's numbers: periods offered and chosen, the KPIs by perspective
    and the ranking of the country's clusters (all of them: the page shows the first)."""
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
            ranking = selectors.country_ranking(user, country=country, period=period, kpi=rank_kpi)
    return {
        "country": country,
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
    if _wants_download(request):
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
        data = _national(request, country)
        groups, ranking = data["groups"], data["ranking"]
        for group in groups:
            for line in group.lines:
                line.chart = line_chart(
                    [(p.label, _chart_value(f)) for p, f in line.trend],
                    title=_("%(kpi)s over the last periods") % {"kpi": line.kpi.name},
                    width=240,
                    height=90,
                )
        return {
            **data,
            "rank_choices": [line.kpi for group in groups for line in group.lines],
            "ranking": ranking[:RANKING_SHOWN],
            "ranking_more": max(len(ranking) - RANKING_SHOWN, 0),
        }

    return page_cache.page(
        request,
        title=_("%(country)s: national dashboard") % {"country": country.name},
        template="dashboards/country.html",
        build_context=context,
    )


def _chart_value(f):
    """A trend point: the value as the table shows it (a share of yes as a percentage)."""
    if f is None or f.row.value is None:
        return None
    return f.row.value * 100 if f.is_share else f.row.value


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
    if _wants_download(request):
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
                charts.append(
                    bar_chart(bars, title=_("%(kpi)s by country") % {"kpi": kpi.name}, width=280)
                )
        return {**data, "charts": charts}

    return page_cache.page(
        request,
        title=_("%(region)s: regional dashboard") % {"region": region.name},
        template="dashboards/region.html",
        build_context=context,
    )


# --- Benchmarking -------------------------------------------------------------------------------


def _benchmarking(request) -> dict:
    """The benchmarking page's choices (KPI, period, peer grouping) and its peer groups."""
    periods = selectors.unit_periods(level=Level.GLOBAL, unit_ids=[0])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    grouping = request.GET.get("group")
    grouping = grouping if grouping in benchmark.GROUPINGS else "sector"
    kpis = list(KPI.objects.filter(cluster__isnull=True).order_by("code"))
    wanted = _int(request.GET.get("kpi"))
    kpi = next((k for k in kpis if k.pk == wanted), kpis[0] if kpis else None)
    groups = []
    if period is not None and kpi is not None:
        groups = benchmark.peer_groups(request.user, kpi=kpi, period=period, grouping=grouping)
    return {
        "periods": periods,
        "period": period,
        "kpis": kpis,
        "kpi": kpi,
        "groupings": benchmark.GROUPINGS,
        "grouping": grouping,
        "groups": groups,
        "normalised": kpi is not None and benchmark.normalises(kpi),
        "min_peers": benchmark.MIN_PEERS,
    }


@login_required
def benchmark_dashboard(request):
    """The user's clusters compared within peer groups on one KPI (dashboards.benchmark)."""
    if _wants_download(request):
        data = _benchmarking(request)
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
