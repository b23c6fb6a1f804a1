"""Rollup pages: the rolled-up values a user may read, where each number comes from, and the
administrators' full recompute with its progress.

Views stay thin: the numbers come from the rollup engine's rows (monitoring.rollups), scoped
by accounts.scopes.scope_rollups, explained by monitoring.rollups.explain and scored by
explain.rollup_scores. Every value is shown with its coverage (clusters reporting / expected),
so a number without it never reaches the page (DESIGN.md "Rollup semantics", rule 4).

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

import base64
import binascii
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.scopes import is_admin, rollup_units
from core.exports import FORMATS, export_response
from monitoring.models import Rollup, RollupRun, RollupRunItem
from monitoring.rollups import selectors
from monitoring.rollups.explain import StaleIndex, explain, rollup_scores
from monitoring.rollups.runs import run_progress, run_start
from scorecards.models import KPI, Level, Period

PAGE_SIZE = 50
RECENT_RUNS = 20
LEVEL_ORDER, UNIT_MODELS = selectors.LEVEL_ORDER, selectors.UNIT_MODELS
LEVEL_LABELS = {
    Level.GLOBAL: gettext_lazy("Global (all clusters)"),
    Level.PROGRAM: gettext_lazy("Program"),
    Level.REGION: gettext_lazy("Region"),
    Level.COUNTRY: gettext_lazy("Country"),
    Level.CLUSTER: gettext_lazy("Cluster"),
}


# --- Presentation -----------------------------------------------------------------------------


@dataclass
class Line:
    """A rollup row as the pages show it: its unit's name, score and freshness beside it."""

    row: Rollup
    unit_name: str
    achievement: Decimal | None
    status: str
    stale: bool

    @property
    def is_share(self) -> bool:
        """A yes/no KPI above cluster level: the share of reporting clusters answering yes."""
        return self.row.kpi.aggregation == KPI.Aggregation.SHARE_YES and (
            self.row.level != Level.CLUSTER
        )

    @property
    def level_label(self) -> str:
        return _("Global") if self.row.level == Level.GLOBAL else LEVEL_LABELS[self.row.level]

    @property
    def missing_clusters(self) -> int:
        return max(self.row.clusters_expected - self.row.clusters_reporting, 0)


def _line(row: Rollup, unit_name: str, stale_index: StaleIndex) -> Line:
    result, colour = rollup_scores(row)
    if row.level == Level.GLOBAL:
        unit_name = _("All")
    return Line(row, unit_name or "—", result, colour, stale_index(row))


STATUS_LABELS = {
    "green": gettext_lazy("On track"),
    "amber": gettext_lazy("At risk"),
    "red": gettext_lazy("Off track"),
}
EXPORT_HEADERS = [
    gettext_lazy("KPI code"),
    gettext_lazy("KPI"),
    gettext_lazy("Unit of measure"),
    gettext_lazy("Level"),
    gettext_lazy("Unit"),
    gettext_lazy("Period"),
    gettext_lazy("Value"),
    gettext_lazy("Target"),
    gettext_lazy("Target derived from cluster targets"),
    gettext_lazy("Numerator"),
    gettext_lazy("Denominator"),
    gettext_lazy("Women"),
    gettext_lazy("Men"),
    gettext_lazy("Achievement (%)"),
    gettext_lazy("Status"),
    gettext_lazy("Clusters reporting"),
    gettext_lazy("Clusters expected"),
    gettext_lazy("Clusters with all four quarters approved"),
    gettext_lazy("As of"),
    gettext_lazy("Waiting for recompute"),
]


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else share * 100


def _as_shown(number: Decimal | None, line: Line) -> Decimal | None:
    return _percent(number) if line.is_share else number


def export_rows(rows: Iterator[Rollup]) -> Iterator[list]:
    """Rollup rows as the page's lines, one download row each, never a value without its
    coverage. A yes/no KPI's share (above cluster level) is given in percent, like the page."""
    stale_index = StaleIndex()
    for row in rows:
        line = _line(row, row.unit_sort, stale_index)
        kpi = row.kpi
        if line.is_share:
            measure = "%"
        elif kpi.unit == KPI.Unit.CURRENCY and kpi.currency:
            measure = kpi.currency
        else:
            measure = kpi.get_unit_display()
        yield [
            kpi.code,
            kpi.name,
            measure,
            line.level_label,
            line.unit_name,
            row.period.label,
            _as_shown(row.value, line),
            _as_shown(row.target, line),
            (_("yes") if row.target_derived else _("no")) if row.target is not None else None,
            row.numerator,
            row.denominator,
            row.value_women,
            row.value_men,
            _percent(line.achievement),
            STATUS_LABELS.get(line.status, _("No data")),
            row.clusters_reporting,
            row.clusters_expected,
            row.clusters_complete,
            timezone.localtime(row.computed_at),
            _("yes") if line.stale else _("no"),
        ]


def _unit_name(row: Rollup) -> str:
    if row.level == Level.GLOBAL:
        return _("All")
    model = UNIT_MODELS.get(row.level)
    name = model.objects.filter(pk=row.unit_id).values_list("name", flat=True).first()
    return name or "—"


# --- The list ---------------------------------------------------------------------------------


class KPIChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RollupFilterForm(forms.Form):
    """KPI, level, unit and period of the list; the choices are the user's scope only.

    An invalid choice is dropped (and shown as the field's error); the others still apply.
    """

    kpi = KPIChoiceField(
        label=gettext_lazy("KPI"),
        queryset=KPI.objects.filter(cluster__isnull=True).order_by("code"),
        required=False,
        empty_label=gettext_lazy("All KPIs"),
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Unit"), coerce=int, required=False, empty_value=None
    )
    period = forms.ModelChoiceField(
        label=gettext_lazy("Period"), queryset=Period.objects.all(), required=False
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.units_by_level = rollup_units(user)
        levels = [level for level in LEVEL_ORDER if level in self.units_by_level]
        self.fields["level"].choices = [("", _("All levels"))] + [
            (level, LEVEL_LABELS[level]) for level in levels
        ]
        level = data.get("level", "")
        unit_field = self.fields["unit"]
        if level in levels and level != Level.GLOBAL:
            unit_field.choices = [("", _("All units"))] + [
                (unit.pk, unit.name) for unit in self._units(level)
            ]
        else:
            unit_field.choices = [("", _("All units"))]
            unit_field.disabled = True
            unit_field.help_text = "" if level == Level.GLOBAL else _("Choose a level first.")
        self.is_valid()

    def _units(self, level: str) -> QuerySet:
        model = UNIT_MODELS[level]
        units = self.units_by_level[level]
        queryset = model.objects.all() if units is None else model.objects.filter(pk__in=units)
        return queryset.only("pk", "name").order_by("name")

    def filters(self) -> dict:
        """The valid filters on KPI, level and unit, as Rollup field lookups."""
        data = self.cleaned_data
        found = {}
        if data.get("kpi"):
            found["kpi_id"] = data["kpi"].pk
        if data.get("level"):
            found["level"] = data["level"]
            if data.get("unit") is not None:
                found["unit_id"] = data["unit"]
        return found

    def offer_periods(self, periods: list[Period]) -> None:
        """Offer the periods that have rows in the user's scope, marking those without values."""
        self.fields["period"].widget.choices = [("", _("Latest with values"))] + [
            (
                p.pk,
                p.label
                if p.has_values
                else _("%(period)s (no approved values)") % {"period": p.label},
            )
            for p in periods
        ]


def _encode_cursor(line: Line) -> str:
    key = selectors.keyset_key(line.row)
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(raw: str | None) -> list | None:
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error):
        return None
    if (
        isinstance(key, list)
        and len(key) == 4
        and isinstance(key[0], str)
        and isinstance(key[2], str)
        and all(isinstance(k, int) and not isinstance(k, bool) for k in (key[1], key[3]))
    ):
        return key
    return None


@login_required
def rollup_list(request):
    """The rollup values in the user's scope, for one period, filtered and paged by keyset."""
    user = request.user
    form = RollupFilterForm(request.GET, user=user)
    filters = form.filters()
    clusters = filters.get("level") == Level.CLUSTER  # computed on read, not stored
    periods = selectors.rollup_periods(
        user, {"kpi_id": filters["kpi_id"]} if clusters and "kpi_id" in filters else filters
    )
    form.offer_periods(periods)
    table = selectors.cluster_rollup_table if clusters else selectors.rollup_table
    period = form.cleaned_data.get("period") or next((p for p in periods if p.has_values), None)
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
                .order_by(*selectors.KEYSET_ORDER)
                .iterator(chunk_size=2000)
            )
        return export_response(
            headers=EXPORT_HEADERS,
            rows=export_rows(rows),
            filename=f"rollups-{period.label}" if period is not None else "rollups",
            fmt=request.GET["format"],
        )
    lines, has_previous, has_next = [], False, False
    if period is not None:
        rows, has_previous, has_next = selectors.rollup_keyset_page(
            table(user, period=period, filters=filters),
            after=_decode_cursor(request.GET.get("after")),
            before=_decode_cursor(request.GET.get("before")),
            size=PAGE_SIZE,
        )
        stale_index = StaleIndex()
        lines = [_line(row, row.unit_sort, stale_index) for row in rows]
    context = {
        "form": form,
        "period": period,
        "lines": lines,
        "previous_cursor": _encode_cursor(lines[0]) if has_previous and lines else "",
        "next_cursor": _encode_cursor(lines[-1]) if has_next and lines else "",
        "paged": bool(request.GET.get("after") or request.GET.get("before")),
        "totals_only": not filters.get("level") and Level.CLUSTER in form.units_by_level,
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
    line = _line(row, _unit_name(row), StaleIndex())
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
    return render(request, "monitoring/rollup_runs.html", {"runs": runs})


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
    }
    return render(request, "monitoring/rollup_run_detail.html", context)
