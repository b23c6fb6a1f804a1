"""Dashboard pages: a home for every role, national and regional dashboards, benchmarking.

Views parse the query string, call dashboards' selectors and render; the rules live in the
selectors (dashboards.selectors, .benchmark, .roles), scope in accounts.scopes, scores in
scorecards.scoring. An object outside the user's scope answers 404, a dashboard of another
role too. Every table downloads as CSV or XLSX with `?format=csv|xlsx` (and `&table=` on
pages with several tables), built from the same rows as the page (dashboards.tables).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import countries_in_scope, is_admin, regions_in_scope
from core.charts import bar_chart, line_chart
from core.exports import FORMATS, export_response
from dashboards import benchmark, roles, selectors, tables
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


def _export(request, available: dict, filename: str):
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
    freshness = roles.rollup_freshness()
    countries, regions = roles.all_countries_and_regions()
    context = {"freshness": freshness, "countries": countries, "regions": regions, **_panels()}
    return render(request, "dashboards/admin.html", context)


@login_required
def bso_dashboard(request):
    """BSO staff: their clusters and the reports they owe (due or returned)."""
    user = request.user
    if not (user.role == Role.BSO_STAFF or is_admin(user)):
        raise Http404
    items = roles.bso_to_do(user, today=timezone.localdate())
    download = _export(request, {"to-do": lambda: tables.to_do_table(items)}, "reports-to-do")
    if download:
        return download
    context = {"clusters": roles.bso_clusters(user), "items": items, **_panels()}
    return render(request, "dashboards/bso.html", context)


@login_required
def officer_dashboard(request):
    """Program officers: the review queue and the clusters whose scorecard shows red."""
    user = request.user
    if not (user.role == Role.PROGRAM_OFFICER or is_admin(user)):
        raise Http404
    off_track = roles.clusters_off_track(user)
    download = _export(
        request, {"off-track": lambda: tables.off_track_table(off_track)}, "clusters-off-track"
    )
    if download:
        return download
    context = {
        "review_count": roles.review_count(user),
        "off_track": off_track,
        "countries": list(countries_in_scope(user).order_by("name")),
        **_panels(),
    }
    return render(request, "dashboards/officer.html", context)


# --- National -----------------------------------------------------------------------------------


@login_required
def country_dashboard(request, pk: int):
    """A country's core KPIs for a year or quarter by perspective, with trends, and its
    clusters ranked on a chosen KPI."""
    user = request.user
    country = get_object_or_404(countries_in_scope(user), pk=pk)
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
    download = _export(
        request,
        {
            "kpis": lambda: tables.national_table(groups),
            "ranking": lambda: tables.ranking_table(ranking),
        },
        f"country-{country.code}-{period.label if period else 'none'}",
    )
    if download:
        return download
    for group in groups:
        for line in group.lines:
            line.chart = line_chart(
                [(p.label, _chart_value(f)) for p, f in line.trend],
                title=_("%(kpi)s over the last periods") % {"kpi": line.kpi.name},
                width=240,
                height=90,
            )
    context = {
        "country": country,
        "periods": periods,
        "period": period,
        "groups": groups,
        "rank_kpi": rank_kpi,
        "rank_choices": [line.kpi for group in groups for line in group.lines],
        "ranking": ranking[:RANKING_SHOWN],
        "ranking_more": max(len(ranking) - RANKING_SHOWN, 0),
    }
    return render(request, "dashboards/country.html", context)


def _chart_value(f):
    """A trend point: the value as the table shows it (a share of yes as a percentage)."""
    if f is None or f.row.value is None:
        return None
    return f.row.value * 100 if f.is_share else f.row.value


# --- Regional -----------------------------------------------------------------------------------


@login_required
def region_dashboard(request, pk: int):
    """A region's countries side by side on the chosen KPIs (`?kpi=` several times)."""
    user = request.user
    region = get_object_or_404(regions_in_scope(user), pk=pk)
    periods = selectors.unit_periods(level=Level.REGION, unit_ids=[region.pk])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    choices, chosen, table = [], [], None
    if period is not None:
        choices = list(selectors.rolled_kpis(level=Level.REGION, unit_id=region.pk, period=period))
        wanted = {_int(v) for v in request.GET.getlist("kpi")}
        chosen = [k for k in choices if k.pk in wanted] or choices[:REGION_DEFAULT_KPIS]
        table = selectors.region_table(user, region=region, period=period, kpis=chosen)
    download = _export(
        request,
        {
            "countries": lambda: tables.region_export(
                table or selectors.RegionTable([], [], []), region.name
            )
        },
        f"region-{region.code}-{period.label if period else 'none'}",
    )
    if download:
        return download
    charts = []
    if table is not None:
        for index, kpi in enumerate(table.kpis):
            bars = [(c.code, _chart_value(figures[index])) for c, figures in table.countries]
            charts.append(
                bar_chart(bars, title=_("%(kpi)s by country") % {"kpi": kpi.name}, width=280)
            )
    context = {
        "region": region,
        "periods": periods,
        "period": period,
        "kpi_choices": choices,
        "chosen_ids": [k.pk for k in chosen],
        "table": table,
        "charts": charts,
    }
    return render(request, "dashboards/region.html", context)


# --- Benchmarking -------------------------------------------------------------------------------


@login_required
def benchmark_dashboard(request):
    """The user's clusters compared within peer groups on one KPI (dashboards.benchmark)."""
    user = request.user
    periods = selectors.unit_periods(level=Level.GLOBAL, unit_ids=[0])
    period = selectors.chosen_period(periods, request.GET.get("period"))
    grouping = request.GET.get("group")
    grouping = grouping if grouping in benchmark.GROUPINGS else "sector"
    kpis = list(KPI.objects.filter(cluster__isnull=True).order_by("code"))
    wanted = _int(request.GET.get("kpi"))
    kpi = next((k for k in kpis if k.pk == wanted), kpis[0] if kpis else None)
    groups = []
    if period is not None and kpi is not None:
        groups = benchmark.peer_groups(user, kpi=kpi, period=period, grouping=grouping)
    download = _export(
        request, {"peers": lambda: tables.benchmark_table(groups)}, f"benchmark-{grouping}"
    )
    if download:
        return download
    context = {
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
    return render(request, "dashboards/benchmark.html", context)
