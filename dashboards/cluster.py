"""Reads behind the cluster dashboard: one cluster's profile, its latest approved scorecards with
trends, its reports, activities, committee and funding, on one page; and its tables' downloads.

Nothing is computed here that another module already computes:
- the scorecard (value, target, baseline, achievement, status colour, CSF and perspective scores)
  is monitoring.reports.scores.cluster_scorecard for the period of the cluster's latest approved
  report, one for quarterly KPIs (the latest approved quarter) and one for annual KPIs (the
  latest approved year), scored by scorecards.scoring;
- a core KPI's trend is its cluster values over the last periods of its frequency
  (dashboards.selectors.trend_periods: 8 quarters or 5 years), read only through
  monitoring.rollups.selectors.cluster_rollups (approved values only), presented by
  monitoring.rollups.figures. A cluster's own KPIs do not roll up, so they have no trend: the
  page says so;
- the committee counts and the external share of activity cost per year come from
  monitoring.activities.selectors.cluster_signals (what the cluster page's signals block shows), the
  open action items from clusters.selectors, the latest activities from the timeline's selector.

Reports are read through accounts.scopes.scope_reports (ministries and regional bodies see
approved ones only), programs through scope_programs. The whole page costs a fixed number of
queries whatever the number of KPIs, periods, reports or activities.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scopes import scope_programs, scope_reports
from clusters.models import ActionItem, Cluster
from clusters.selectors import cluster_current_supports, committee_open_items
from dashboards.selectors import trend_periods
from dashboards.tables import Table
from firms.selectors import firm_count_of_cluster
from monitoring.activities import selectors as activity_selectors
from monitoring.activities.selectors import CostShare
from monitoring.models import Report
from monitoring.models.activities import Activity
from monitoring.reports import selectors as report_selectors
from monitoring.reports.scores import (
    SCORECARD_HEADERS,
    KPIScore,
    ScorecardScore,
    cluster_scorecard,
    scorecard_rows,
)
from monitoring.rollups import selectors as rollup_selectors
from monitoring.rollups.figures import Figure, figure
from programs.models import Enrolment
from scorecards.models import KPI, Period

RECENT_REPORTS = 12
RECENT_ACTIVITIES = 10


@dataclass
class TrendPoint:
    period: Period
    # the cluster's rollup row (cluster_rollups) as monitoring.rollups.figures presents it, None
    # when there is none; a trend shows no freshness (the chosen period's figure does)
    figure: Figure | None

    @property
    def value(self) -> Decimal | None:
        return None if self.figure is None else self.figure.shown_value

    @property
    def approved(self) -> bool:
        return self.figure is not None and bool(self.figure.coverage.reporting)


@dataclass
class ScoredLine:
    """One KPI of a scorecard as the dashboard shows it: its score and, for core KPIs, its trend
    (None for the cluster's own KPIs, which do not roll up)."""

    score: KPIScore
    trend: list[TrendPoint] | None
    chart: str | None = None  # the trend drawn by the page (core.charts.line_chart)

    @property
    def kpi(self) -> KPI:
        return self.score.kpi


@dataclass
class LatestScorecard:
    """The scorecard of the cluster's latest approved report of one kind (quarter or year)."""

    report: Report
    card: ScorecardScore
    # (perspective score, [(CSF score, [lines])]) in the template's order
    perspectives: list = field(default_factory=list)

    @property
    def period(self) -> Period:
        return self.report.period

    @property
    def lines(self) -> list[ScoredLine]:
        return [line for _p, csfs in self.perspectives for _c, lines in csfs for line in lines]

    @property
    def has_own(self) -> bool:
        return any(line.trend is None for line in self.lines)


@dataclass
class Committee:
    counts: dict | None  # cluster_signals()["committee"]: None without a steering committee
    open_items: list[tuple[ActionItem, bool]]  # (open or in-progress item, overdue today?)


@dataclass
class ClusterDashboard:
    cluster: Cluster
    supports: list  # bsos.ClusterSupport, with their BSO
    enrolments: list[Enrolment]
    scorecards: list[LatestScorecard]
    reports: list[Report]  # the latest RECENT_REPORTS, latest first
    activities: list[Activity]  # the latest RECENT_ACTIVITIES, newest first
    committee: Committee
    cost_shares: list[CostShare]
    firms: int  # member firms of the registry today (firms.selectors.firm_count)


def cluster_dashboard(user, *, cluster: Cluster, today: datetime.date) -> ClusterDashboard:
    """Everything the cluster dashboard shows, for a cluster already known to be in the user's
    scope (with its committee joined)."""
    reports = list(scope_reports(report_selectors.cluster_reports(cluster_id=cluster.pk), user))
    report_selectors.mark_overdue(reports, today=today)
    signals = activity_selectors.cluster_signals(cluster, today=today)
    committee = getattr(cluster, "committee", None)  # reverse one-to-one: may be missing
    return ClusterDashboard(
        cluster=cluster,
        supports=list(cluster_current_supports(cluster)),
        enrolments=enrolments(user, cluster=cluster),
        scorecards=latest_scorecards(cluster=cluster, reports=reports),
        reports=reports[:RECENT_REPORTS],
        activities=list(activity_selectors.cluster_timeline(cluster)[:RECENT_ACTIVITIES]),
        committee=Committee(signals["committee"], open_items(committee, today=today)),
        cost_shares=signals["cost_shares"],
        firms=firm_count_of_cluster(cluster.pk, on=today),
    )


def open_items(committee, *, today: datetime.date) -> list[tuple[ActionItem, bool]]:
    """The committee's open action items as clusters.selectors.committee_open_items marks them
    (overdue or not); none without a committee. One query."""
    return [] if committee is None else committee_open_items(committee, today=today)


def enrolments(user, *, cluster: Cluster) -> list[Enrolment]:
    """The cluster's enrolments in programs the user may read, the current ones first. One
    query."""
    queryset = Enrolment.objects.filter(cluster=cluster).select_related("program")
    return list(
        scope_programs(queryset, user, program_field="program").order_by(
            "-enrolled_from", "program__name"
        )
    )


def latest_scorecards(*, cluster: Cluster, reports: list[Report]) -> list[LatestScorecard]:
    """The scorecards of the latest approved quarter and the latest approved year among
    `reports` (latest first), each KPI with its trend; a scorecard without a KPI of its kind of
    period is left out. A fixed number of queries."""
    found: list[LatestScorecard] = []
    for kind in (Period.Kind.QUARTER, Period.Kind.YEAR):
        report = next(
            (r for r in reports if r.state == Report.State.APPROVED and r.period.kind == kind),
            None,
        )
        if report is None:
            continue
        try:
            card = cluster_scorecard(cluster=cluster, period=report.period)
        except ValidationError:
            continue  # no scorecard adopted at the end of the period: nothing to score
        found.append(LatestScorecard(report, card))
    periods = {latest.report.period_id: trend_periods(latest.period) for latest in found}
    core_ids = {
        k.kpi.pk
        for latest in found
        for p in latest.card.perspectives
        for c in p.csfs
        for k in c.kpis
        if not k.own
    }
    figures: dict[tuple[int, int], Figure] = {}
    if core_ids:
        period_ids = sorted({p.pk for trend in periods.values() for p in trend})
        for row in rollup_selectors.cluster_rollups(
            period_ids=period_ids, cluster_ids=[cluster.pk], kpi_ids=sorted(core_ids)
        ):
            figures[(row.kpi_id, row.period_id)] = figure(row, stale_index=None)
    for latest in found:
        trend = periods[latest.report.period_id]

        def line(k: KPIScore, trend=trend) -> ScoredLine:
            if k.own:
                return ScoredLine(k, None)
            return ScoredLine(k, [TrendPoint(p, figures.get((k.kpi.pk, p.pk))) for p in trend])

        # Only what holds a KPI of this kind of period (a template may have no annual KPIs, or
        # a perspective none): the scorecard page lists the empty ones, a dashboard need not.
        for p in latest.card.perspectives:
            csfs = [(c, [line(k) for k in c.kpis]) for c in p.csfs if c.kpis]
            if csfs:
                latest.perspectives.append((p, csfs))
    return [latest for latest in found if latest.perspectives]


# --- Downloads ----------------------------------------------------------------------------------
# Each table from the objects the page shows (core.exports neutralises formula-like text).


def scorecard_table(dashboard: ClusterDashboard) -> Table:
    """The scorecards' rows as the scorecard page downloads them, with their period."""
    rows = [
        [latest.period.label, *row]
        for latest in dashboard.scorecards
        for row in scorecard_rows(latest.card)
    ]
    return Table([_("Period"), *(str(h) for h in SCORECARD_HEADERS)], rows)


def trends_table(dashboard: ClusterDashboard) -> Table:
    rows = [
        [
            line.kpi.code,
            line.kpi.name,
            point.period.label,
            point.value,
            _("yes") if point.approved else _("no"),
        ]
        for latest in dashboard.scorecards
        for line in latest.lines
        if line.trend is not None
        for point in line.trend
    ]
    return Table([_("KPI code"), _("KPI"), _("Period"), _("Value"), _("Approved value")], rows)


def reports_table(dashboard: ClusterDashboard) -> Table:
    rows = [[r.period.label, r.get_state_display(), r.period.deadline] for r in dashboard.reports]
    return Table([_("Period"), _("State"), _("Deadline")], rows)


def activities_table(dashboard: ClusterDashboard) -> Table:
    rows = [
        [
            a.date,
            a.title,
            a.get_type_display(),
            a.bso.name,
            a.firms,
            a.women,
            a.men,
            a.total_cost,
            a.currency,
        ]
        for a in dashboard.activities
    ]
    headers = [
        _("Date"),
        _("Title"),
        _("Type"),
        _("BSO"),
        _("Firms"),
        _("Women"),
        _("Men"),
        _("Total cost"),
        _("Currency"),
    ]
    return Table(headers, rows)


def action_items_table(dashboard: ClusterDashboard) -> Table:
    rows = [
        [
            item.title,
            item.owner.name if item.owner else "",
            item.due_on,
            item.get_status_display(),
            _("yes") if overdue else _("no"),
        ]
        for item, overdue in dashboard.committee.open_items
    ]
    return Table([_("Action"), _("Owner"), _("Due"), _("Status"), _("Overdue")], rows)


def funding_table(dashboard: ClusterDashboard) -> Table:
    rows = [
        [
            s.year,
            s.currency,
            s.total,
            s.firms,
            s.external,
            None if s.external_percent is None else round(s.external_percent, 1),
        ]
        for s in dashboard.cost_shares
    ]
    headers = [
        _("Year"),
        _("Currency"),
        _("Total cost"),
        _("Paid by the firms"),
        _("Paid by external funds"),
        _("External share (%)"),
    ]
    return Table(headers, rows)


TABLES = {
    "scorecard": scorecard_table,
    "trends": trends_table,
    "reports": reports_table,
    "activities": activities_table,
    "action-items": action_items_table,
    "funding": funding_table,
}
