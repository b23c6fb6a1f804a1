"""Rollup pages: the rolled-up values a user may read, where each number comes from, and the
administrators' full recompute with its progress.

Views stay thin: the numbers come from the rollup engine's rows (monitoring.rollups), scoped
by accounts.scopes.scope_rollups, presented by monitoring.rollups.figures (value, coverage,
score, freshness), explained by monitoring.rollups.explain, filtered by .forms, paged by
.keyset and downloaded by .exports. Every value is shown with its coverage (clusters
reporting / expected), so a number without it never reaches the page (DESIGN.md "Rollup
semantics", rule 4).

Choices made here:
- The list shows one period at a time (the latest that has approved values for the filters,
  unless one is chosen), so no page ever counts or sorts the whole table; within it rows go
  KPI code, level (global down to country), unit name, and pages are keyset pages
  (`after` / `before` cursors), never an OFFSET or a COUNT(*).
- Cluster rows are not stored: with the level "Cluster" chosen, the list computes the rows of
  the period's clusters in scope (selectors.cluster_rollup_table) and pages them the same way.
- Unit names are looked up in SQL (one subquery per level) so the page sorts and pages by
  them; the global level's unit is "All".
- A yes/no KPI reads "Yes" / "No" at cluster level and as the share answering yes above it.
- The run pages are for administrators only; others get the 403 page with the reason.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scopes import is_admin
from core.exports import FORMATS, export_response
from monitoring.models import RollupRun, RollupRunItem
from monitoring.rollups import exports, keyset, selectors
from monitoring.rollups.explain import explain
from monitoring.rollups.figures import StaleIndex, figure
from monitoring.rollups.forms import RollupFilterForm
from monitoring.rollups.runs import run_progress, run_start
from scorecards.models import KPI, Level

PAGE_SIZE = 50
RECENT_RUNS = 20


# --- The list ---------------------------------------------------------------------------------


@login_required
def rollup_list(request):
    """The rollup values in the user's scope, for one period, filtered and paged by keyset."""
    user = request.user
    form = RollupFilterForm(request.GET, user=user)
    filters = form.filters()
    clusters = filters.get("level") == Level.CLUSTER  # ClusterRollup's rows, not Rollup's
    if clusters and form.cluster_level_only:
        periods = selectors.cluster_periods(user)  # no stored row is theirs to read
    else:
        periods = selectors.rollup_periods(
            user, {"kpi_id": filters["kpi_id"]} if clusters and "kpi_id" in filters else filters
        )
    form.offer_periods(periods)
    table = selectors.cluster_rollup_table if clusters else selectors.rollup_table
    period = form.cleaned_data.get("period") or next(
        (p for p in periods if p.has_values and not p.is_partial),
        next((p for p in periods if p.has_values), None),
    )
    if period is None and periods:
        period = periods[0]
    if request.GET.get("format") in FORMATS:
        # Every row of the period, in the page's order, streamed from the same selector.
        if period is None:
            rows = iter(())
        elif clusters:
            rows = iter(table(user, period=period, filters=filters))
        else:
            rows = (
                table(user, period=period, filters=filters)
                .order_by(*keyset.KEYSET_ORDER)
                .iterator(chunk_size=2000)
            )
        return export_response(
            headers=exports.HEADERS,
            rows=exports.rows(rows),
            filename=f"rollups-{period.label}" if period is not None else "rollups",
            fmt=request.GET["format"],
        )
    rows, has_previous, has_next = [], False, False
    if period is not None:
        rows, has_previous, has_next = keyset.page(
            table(user, period=period, filters=filters),
            after=keyset.decode_cursor(request.GET.get("after")),
            before=keyset.decode_cursor(request.GET.get("before")),
            size=PAGE_SIZE,
        )
    stale_index = StaleIndex() if period is not None else None
    lines = [figure(row, stale_index=stale_index, unit_name=row.unit_sort) for row in rows]
    context = {
        "form": form,
        "period": period,
        "lines": lines,
        "previous_cursor": keyset.encode_cursor(rows[0]) if has_previous and rows else "",
        "next_cursor": keyset.encode_cursor(rows[-1]) if has_next and rows else "",
        "paged": bool(request.GET.get("after") or request.GET.get("before")),
        "totals_only": not filters.get("level") and Level.CLUSTER in form.units_by_level,
        "cluster_level_only": form.cluster_level_only,
    }
    return render(request, "monitoring/rollup_list.html", context)


# --- One number explained ---------------------------------------------------------------------


@login_required
def rollup_detail(request, kpi: int, period: int, level: str, unit: int):
    """Where one rollup value comes from: its clusters, their values and report states.

    Addressed by its natural key, not its id: a recompute replaces the rows, and a link to a
    number must survive it.
    """
    row = selectors.readable_rollup(
        request.user, kpi_id=kpi, period_id=period, level=level, unit_id=unit
    )
    if row is None:
        raise Http404(_("No such rollup value in your scope."))
    explanation = explain(row, request.user)
    name = selectors.unit_name(level=row.level, unit_id=row.unit_id)
    line = figure(row, stale_index=StaleIndex(), unit_name=name)
    quarterly_year = row.kpi.frequency == KPI.Frequency.QUARTERLY and not row.period.is_quarter
    contributions = [
        {
            "item": item,
            "url": (
                item.cluster.get_absolute_url()
                if quarterly_year
                else reverse("cluster-scorecard", args=[item.cluster.pk])
                + f"?period={row.period_id}"
            ),
        }
        for item in explanation.contributions
    ]
    context = {
        "line": line,
        "row": row,
        "explanation": explanation,
        "contributions": contributions,
        "list_url": reverse("rollup-list") + f"?kpi={row.kpi_id}&period={row.period_id}",
    }
    return render(request, "monitoring/rollup_detail.html", context)


# --- Full recomputes (administrators) ---------------------------------------------------------


def _require_admin(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied(
            _(
                "Only administrators recompute the rollups. The numbers are recomputed by "
                "themselves whenever a report is approved or reopened, and every night."
            )
        )


def _elapsed(start: datetime.datetime, end: datetime.datetime | None) -> float:
    return ((end or timezone.now()) - start).total_seconds()


@login_required
@require_http_methods(["GET", "POST"])
def rollup_runs(request):
    """GET: recent full recomputes. POST: start one, then follow its progress."""
    _require_admin(request)
    if request.method == "POST":
        run = run_start(user=request.user)
        return redirect("rollup-run-detail", pk=run.pk)
    runs = list(
        RollupRun.objects.select_related("started_by")
        .annotate(
            done=Count("items", filter=Q(items__state=RollupRunItem.State.DONE)),
            failed=Count("items", filter=Q(items__state=RollupRunItem.State.FAILED)),
        )
        .order_by("-started_at", "-pk")[:RECENT_RUNS]
    )
    for run in runs:
        run.elapsed_s = _elapsed(run.started_at, run.finished_at)
    context = {"runs": runs, "in_process": _tasks_in_process()}
    return render(request, "monitoring/rollup_runs.html", context)


def _tasks_in_process() -> bool:
    """Whether tasks run in the web process (no worker: `make run`), so that a recompute is over
    before its page opens."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


@login_required
def rollup_run_detail(request, pk: int):
    """A run's progress; static/js/rollup-run.js refreshes it from the API while it runs."""
    _require_admin(request)
    run = get_object_or_404(RollupRun.objects.select_related("started_by"), pk=pk)
    progress = run_progress(run)
    context = {
        "run": run,
        "progress": progress,
        "errors": progress.errors,
        "api_url": reverse("api:rolluprun-detail", args=[run.pk]),
        "in_process": _tasks_in_process(),
    }
    return render(request, "monitoring/rollup_run_detail.html", context)
