"""Reads of competitiveness plans: who sees which (accounts' scope), a version with its parts,
what moved (the latest approved values of the actions' KPIs beside their targets), the money
(the cost of the activities done for each action by funding source, beside its budget), the
benchmark against peers and the difference between two versions.

- KPIs: each KPI's cluster-level rollup row (monitoring.rollups.selectors.cluster_rollups, the
  one computation every reader of a cluster's numbers gets, presented by figures.figure) of
  the latest period the cluster has an approved report for that holds a value. "Moved" is that
  value against the cluster's baseline (figure.baseline), and its achievement is rule 7's.
- Money: per action, the activities linked to it added up per currency (amounts are never
  converted) and per funding source, the activity log's four "paid by" columns; the budget is
  the action's own, in its currency.
- Benchmark: monitoring.rollups.benchmark.peer_group_of, the benchmarking page's rule (a group
  of fewer than 3 shows no value, BSO staff and officers compare anonymised), for the group of
  the plan's choice, the period of the cluster's latest value of each KPI, and the first
  BENCHMARK_KPIS KPIs of the actions (by code): six queries each at most.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from accounts.scopes import scope_queryset
from monitoring.models import Report
from monitoring.models.activities import Activity
from monitoring.rollups.benchmark import PeerGroup, peer_group_of
from monitoring.rollups.figures import Figure, figure
from monitoring.rollups.selectors import cluster_rollups
from plans.models import (
    FUNDING_SOURCES,
    ActionActivity,
    Plan,
    PlanAction,
    PlanStudy,
)
from plans.services import ACTION_FIELDS, PLAN_FIELDS
from scorecards.models import KPI, Period

BENCHMARK_KPIS = 5
ZERO = Decimal(0)


def plans_in_scope(user) -> QuerySet[Plan]:
    """Plan versions of the clusters in the user's scope, with their cluster and decision."""
    plans = Plan.objects.select_related("cluster", "decision__meeting", "previous")
    return scope_queryset(plans, user)


def actions_in_scope(user) -> QuerySet[PlanAction]:
    """Plan actions of the clusters in the user's scope, with their KPIs and activities."""
    actions = PlanAction.objects.select_related("plan__cluster").prefetch_related("kpis", "links")
    return scope_queryset(actions, user, cluster_field="plan__cluster")


def studies_in_scope(user) -> QuerySet[PlanStudy]:
    return scope_queryset(
        PlanStudy.objects.select_related("plan"), user, cluster_field="plan__cluster"
    )


def links_in_scope(user) -> QuerySet[ActionActivity]:
    return scope_queryset(
        ActionActivity.objects.select_related("action__plan"),
        user,
        cluster_field="action__plan__cluster",
    )


def plan_actions(plan: Plan) -> list[PlanAction]:
    """The version's actions with their KPIs and the activities done for them (three
    queries)."""
    links = ActionActivity.objects.select_related("activity").order_by("activity__date", "pk")
    return list(
        plan.actions.prefetch_related(
            Prefetch("kpis", KPI.objects.order_by("code")), Prefetch("links", links)
        )
    )


def versions_of(plan: Plan) -> list[Plan]:
    """Every version of the plan's cluster, newest first, with the decisions approving them."""
    return list(
        Plan.objects.filter(cluster_id=plan.cluster_id)
        .select_related("decision__meeting")
        .order_by("-version")
    )


def latest_plan(cluster_id: int) -> Plan | None:
    return Plan.objects.filter(cluster_id=cluster_id).order_by("-version").first()


def approved_plan(cluster_id: int) -> Plan | None:
    """The cluster's latest approved version (what a published cluster's page shows), with the
    decision and meeting that approved it."""
    return (
        Plan.objects.filter(cluster_id=cluster_id, state=Plan.State.APPROVED)
        .select_related("decision__meeting")
        .order_by("-version")
        .first()
    )


# --- What moved -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KPIProgress:
    kpi: KPI
    figure: Figure | None  # the latest approved value, None before the first

    @property
    def change(self) -> Decimal | None:
        """The latest value less the cluster's baseline, in the KPI's unit."""
        f = self.figure
        if f is None or f.value is None or f.baseline is None:
            return None
        return f.value - f.baseline


def kpi_progress(*, cluster_id: int, kpis: list[KPI]) -> dict[int, KPIProgress]:
    """Per KPI, the cluster's latest approved value beside its target and baseline (the
    module's docstring). Two queries and the rollup statement."""
    progress = {kpi.pk: KPIProgress(kpi, None) for kpi in kpis}
    if not kpis:
        return progress
    period_ids = list(
        Report.objects.filter(cluster_id=cluster_id, state=Report.State.APPROVED).values_list(
            "period_id", flat=True
        )
    )
    rows = cluster_rollups(
        period_ids=period_ids, cluster_ids=[cluster_id], kpi_ids=[k.pk for k in kpis]
    )
    # Latest period last (a year after its fourth quarter): the last row with a value wins.
    rows.sort(key=lambda r: (r.period.ends_on, r.period.quarter == 0))
    for row in rows:
        if row.value is not None:
            progress[row.kpi_id] = KPIProgress(
                progress[row.kpi_id].kpi, figure(row, stale_index=None)
            )
    return progress


# --- Money joined to results ----------------------------------------------------------------


@dataclass
class SourceCost:
    source: str
    label: str
    budget: Decimal
    spent: Decimal


@dataclass
class ActionMoney:
    """An action's budget and the cost of its activities, per funding source; `spent_other`
    holds what was paid in other currencies than the budget's, per currency (never converted)."""

    action: PlanAction
    currency: str
    sources: list[SourceCost]
    activities: int
    spent_other: dict[str, Decimal] = field(default_factory=dict)

    @property
    def budget(self) -> Decimal:
        return sum((s.budget for s in self.sources), start=ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((s.spent for s in self.sources), start=ZERO)

    @property
    def spent_share(self) -> Decimal | None:
        return self.spent / self.budget if self.budget else None


def source_labels() -> dict[str, str]:
    return {
        source: str(Activity._meta.get_field(cost).verbose_name)
        for source, _budget, cost in FUNDING_SOURCES
    }


def money_by_action(actions: list[PlanAction]) -> list[ActionMoney]:
    """Per action (its links prefetched with their activities, as plan_actions reads them),
    the budget and the cost of its activities by funding source. No query."""
    labels = source_labels()
    found = []
    for action in actions:
        spent: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        for link in action.links.all():
            activity = link.activity
            for source, _budget, cost in FUNDING_SOURCES:
                spent[activity.currency][source] += getattr(activity, cost)
        own = spent.pop(action.currency, {})
        found.append(
            ActionMoney(
                action=action,
                currency=action.currency,
                sources=[
                    SourceCost(
                        source, labels[source], getattr(action, budget), own.get(source, ZERO)
                    )
                    for source, budget, _cost in FUNDING_SOURCES
                ],
                activities=len(action.links.all()),
                spent_other={
                    currency: sum(by_source.values(), start=ZERO)
                    for currency, by_source in sorted(spent.items())
                },
            )
        )
    return found


# --- Benchmark -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    kpi: KPI
    period: Period
    group: PeerGroup | None  # the peer group holding the cluster; None: no peers' values


def benchmark(user, *, plan: Plan, progress: dict[int, KPIProgress]) -> list[Benchmark]:
    """The plan's KPIs (the first BENCHMARK_KPIS with a value) against peers of the plan's
    group, in the period of the cluster's latest value (the benchmarking page's rule)."""
    found = []
    with_value = sorted(
        (p for p in progress.values() if p.figure is not None), key=lambda p: p.kpi.code
    )
    for item in with_value[:BENCHMARK_KPIS]:
        period = item.figure.row.period
        group = peer_group_of(
            user,
            cluster_id=plan.cluster_id,
            kpi=item.kpi,
            period=period,
            grouping=plan.benchmark_group,
        )
        found.append(Benchmark(item.kpi, period, group))
    return found


# --- The difference between two versions ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class ActionChange:
    kind: str  # "added", "removed", "changed"
    title: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class PlanChanges:
    plan: Plan
    previous: Plan | None
    fields: list[Change] = field(default_factory=list)
    actions: list[ActionChange] = field(default_factory=list)
    studies_added: list[str] = field(default_factory=list)
    studies_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.actions or self.studies_added or self.studies_removed)


def _shown(instance, name: str) -> str:
    model_field = instance._meta.get_field(name)
    if model_field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    value = getattr(instance, name)
    return "" if value is None else str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _action_changes(before: PlanAction, after: PlanAction) -> list[Change]:
    changes = [
        Change(_label(PlanAction, name), _shown(before, name), _shown(after, name))
        for name in ACTION_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    kpis_before = sorted(k.code for k in before.kpis.all())
    kpis_after = sorted(k.code for k in after.kpis.all())
    if kpis_before != kpis_after:
        changes.append(
            Change(_label(PlanAction, "kpis"), ", ".join(kpis_before), ", ".join(kpis_after))
        )
    return changes


def plan_changes(plan: Plan) -> PlanChanges:
    """What changed from the version this one revises: the plan's fields (a SWOT list item by
    item), the actions added, removed or changed (field by field, KPIs by code) and the
    studies. Five queries."""
    previous = plan.previous
    found = PlanChanges(plan, previous)
    if previous is None:
        return found
    for name in PLAN_FIELDS:
        before, after = getattr(previous, name), getattr(plan, name)
        if before == after:
            continue
        if name in ("strengths", "weaknesses", "opportunities", "threats"):
            old, new = Plan.items(before), Plan.items(after)
            removed = [item for item in old if item not in new]
            added = [item for item in new if item not in old]
            found.fields.append(Change(_label(Plan, name), "\n".join(removed), "\n".join(added)))
        else:
            found.fields.append(
                Change(_label(Plan, name), _shown(previous, name), _shown(plan, name))
            )
    kpis = Prefetch("kpis", KPI.objects.order_by("code"))
    old_actions = {a.pk: a for a in previous.actions.prefetch_related(kpis)}
    for action in plan.actions.prefetch_related(kpis):
        before = old_actions.pop(action.origin_id, None)
        if before is None:
            found.actions.append(ActionChange("added", action.title))
            continue
        changes = _action_changes(before, action)
        if changes:
            found.actions.append(ActionChange("changed", action.title, changes))
    for action in old_actions.values():
        found.actions.append(ActionChange("removed", action.title))
    old_files = {s.file.name: s.original_name for s in previous.studies.all()}
    new_files = {s.file.name: s.original_name for s in plan.studies.all()}
    found.studies_added = [n for f, n in new_files.items() if f not in old_files]
    found.studies_removed = [n for f, n in old_files.items() if f not in new_files]
    return found
