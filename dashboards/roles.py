"""Reads behind the role home pages: administrators' freshness of the numbers, BSO staff's
reports to do, program officers' review queue and clusters off track.

Each function costs a fixed number of queries whatever the number of clusters.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Min, OuterRef, Subquery

from accounts.scopes import clusters_in_scope, scope_reports
from clusters.models import Cluster, Country, Region
from core.models import RollupStale
from monitoring.models import Measurement, Report, Rollup, RollupRun
from monitoring.reports import reminders
from monitoring.reports import selectors as report_selectors
from monitoring.reports.scores import score_values
from monitoring.rollups.runs import RunProgress, runs_progress
from scorecards.models import KPI, Baseline, Level, Period, Target
from scorecards.scoring import Status

RECENT_RUNS = 5


# --- Administrators -----------------------------------------------------------------------------


@dataclass
class Freshness:
    stale_markers: int
    oldest_computed_at: datetime.datetime | None
    runs: list[RunProgress]


def rollup_freshness() -> Freshness:
    """How fresh the rolled-up numbers are: markers waiting for a recompute, the oldest row's
    computation time, and the latest full recomputes with their progress. Four queries."""
    runs = list(
        RollupRun.objects.select_related("started_by").order_by("-started_at")[:RECENT_RUNS]
    )
    return Freshness(
        stale_markers=RollupStale.objects.count(),
        oldest_computed_at=Rollup.objects.aggregate(oldest=Min("computed_at"))["oldest"],
        runs=runs_progress(runs),
    )


def all_countries_and_regions() -> tuple[list[Country], list[Region]]:
    return list(Country.objects.order_by("name")), list(Region.objects.order_by("name"))


# --- BSO staff ----------------------------------------------------------------------------------


@dataclass
class ToDo:
    cluster_id: int
    cluster: str
    period_id: int
    period: str
    deadline: datetime.date
    state: str
    report_id: int | None
    overdue: bool = False  # monitoring.reports.selectors.is_overdue


def bso_clusters(user) -> list[Cluster]:
    return list(clusters_in_scope(user).select_related("country").order_by("name"))


def bso_to_do(user, *, today: datetime.date) -> list[ToDo]:
    """Reports of the user's clusters that are due (deadline within a week or passed, not yet
    submitted: the reminders' rule, monitoring.reports.reminders) or returned for changes, each with
    its report when one is open. Six queries."""
    due = reminders.due_items(user, today)
    returned = list(
        scope_reports(Report.objects.filter(state=Report.State.RETURNED), user).select_related(
            "cluster", "period"
        )
    )
    reports = {
        (r.cluster_id, r.period_id): r.pk
        for r in Report.objects.filter(
            cluster__in=clusters_in_scope(user), period_id__in={i.period_id for i in due}
        )
    }
    items = [
        ToDo(
            i.cluster_id,
            i.cluster,
            i.period_id,
            i.period,
            i.deadline,
            i.state,
            reports.get((i.cluster_id, i.period_id)),
            i.overdue,
        )
        for i in due
    ]
    seen = {(i.cluster_id, i.period_id) for i in items}
    items += [
        ToDo(
            r.cluster_id,
            r.cluster.name,
            r.period_id,
            r.period.label,
            r.period.deadline,
            r.get_state_display(),
            r.pk,
        )
        for r in returned
        if (r.cluster_id, r.period_id) not in seen
    ]
    return sorted(items, key=lambda i: (i.deadline, i.cluster))


# --- Program officers ---------------------------------------------------------------------------


def review_count(user) -> int:
    return scope_reports(report_selectors.review_queue(), user).count()


# What score_values reads of a measurement or a baseline.
_VALUES = ("value", "numerator", "denominator")


class _Values(NamedTuple):
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


@dataclass
class OffTrack:
    cluster_id: int
    cluster: str
    period: Period
    red_kpis: list[KPI]


def clusters_off_track(user) -> list[OffTrack]:
    """Clusters whose latest approved report has red KPIs on their scorecard, by name.

    The same numbers as the cluster's scorecard page (monitoring.reports.scores.cluster_scorecard:
    the report's values, the cluster's targets for the period and its baselines, the
    template's thresholds, scored by its score_values), read set-wise for all the user's
    clusters at once rather than one scorecard at a time. Approved reports only: a draft
    being typed in is no reason to raise an alarm. Seven queries, whatever the clusters.

    An officer of a large program has tens of thousands of values scored, so everything is
    read as plain tuples (model instances would cost more than the scoring), targets and
    baselines by the scope's subquery rather than by lists of ids, and only the values with
    a target are scored: without one a value is grey (scorecards.scoring.scored), never red.
    """
    in_scope = clusters_in_scope(user)
    latest = (
        Report.objects.filter(cluster=OuterRef("pk"), state=Report.State.APPROVED)
        .order_by("-period__ends_on", "period__quarter")
        .values("pk")[:1]
    )
    report_ids = [
        pk
        for pk in in_scope.annotate(latest=Subquery(latest)).values_list("latest", flat=True)
        if pk is not None
    ]
    reports = {
        pk: (cluster_id, name, period_id, green, amber)
        for pk, cluster_id, name, period_id, green, amber in Report.objects.filter(
            pk__in=report_ids
        ).values_list(
            "pk",
            "cluster_id",
            "cluster__name",
            "period_id",
            "scorecard__template__green_threshold",
            "scorecard__template__amber_threshold",
        )
    }
    measurements = (
        Measurement.objects.filter(report_id__in=report_ids)
        .order_by("report_id", "kpi__code")
        .values_list("report_id", "kpi_id", *_VALUES)
    )
    kpis = KPI.objects.in_bulk()
    period_ids = {period_id for _c, _n, period_id, _g, _a in reports.values()}
    targets = {
        (cluster_id, period_id, kpi_id): value
        for cluster_id, period_id, kpi_id, value in Target.objects.filter(
            level=Level.CLUSTER, cluster__in=in_scope, period_id__in=period_ids
        )
        .order_by()
        .values_list("cluster_id", "period_id", "kpi_id", "value")
    }
    baselines = {
        (cluster_id, kpi_id): _Values(*values)
        for cluster_id, kpi_id, *values in Baseline.objects.filter(cluster__in=in_scope)
        .order_by()
        .values_list("cluster_id", "kpi_id", *_VALUES)
    }
    red: dict[int, list[KPI]] = {}
    for report_id, kpi_id, *values in measurements:
        cluster_id, _name, period_id, green, amber = reports[report_id]
        target = targets.get((cluster_id, period_id, kpi_id))
        if target is None:
            continue
        kpi = kpis[kpi_id]
        scored = score_values(
            kpi=kpi,
            values=_Values(*values),
            target=target,
            baseline_values=baselines.get((cluster_id, kpi_id)),
            green=green,
            amber=amber,
        )
        if scored.score.status == Status.RED:
            red.setdefault(report_id, []).append(kpi)
    periods = Period.objects.in_bulk(period_ids)
    found = [
        OffTrack(cluster_id, name, periods[period_id], red[pk])
        for pk, (cluster_id, name, period_id, _g, _a) in reports.items()
        if pk in red
    ]
    return sorted(found, key=lambda o: o.cluster)
