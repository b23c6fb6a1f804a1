"""Money joined to results, per program component (DESIGN.md "The program cycle"): quarter by
quarter, the share of the component's budget disbursed beside the share of its output targets
achieved, the two lines of an S-curve.

- Budget disbursed: the component's disbursements up to the end of the quarter / its budget
  (none without a budget). Amounts are all in the program's currency: nothing converts.
- Targets achieved: the mean, over the component's KPIs (scorecards.ComponentKPI), of each
  KPI's achievement capped to 0..100%, from the program-level rollup row of the quarter: its
  approved value against its target and baseline, by rule 7's one formula
  (scorecards.scoring.achievement). A year's row counts at its fourth quarter, where it wins
  over that quarter's own row (the year is the span targets are mostly set for). A quarter
  without a value or a target for a KPI keeps the KPI's latest achievement (results do not
  un-happen when nobody reports); before its first one the KPI counts as 0%.
- The quarters run from the first with money or a result to the last with either.
Three or four queries per program, whatever the number of components, KPIs and quarters.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from monitoring.models import Rollup
from programs.models import Component, Disbursement, Program
from scorecards.models import KPI, ComponentKPI, Level, Period
from scorecards.scoring import achievement

ZERO, ONE = Decimal(0), Decimal(1)
Quarter = tuple[int, int]  # (year, quarter)


@dataclass(frozen=True)
class ComponentQuarter:
    label: str  # "2024 Q3"
    disbursed: Decimal  # up to the end of the quarter
    budget_share: Decimal | None  # disbursed / budget, 0..1 (more when overspent)
    targets_share: Decimal | None  # mean capped achievement of the component's KPIs, 0..1


@dataclass(frozen=True)
class ComponentCurve:
    component: Component
    kpis: list[KPI]
    quarters: list[ComponentQuarter]


def component_curves(
    program: Program, components: Iterable[Component] | None = None
) -> list[ComponentCurve]:
    """Every component of the program with its quarters (see the module docstring); pass the
    program's components when they are already read (a prefetch), to save their query."""
    if components is None:
        components = Component.objects.filter(program=program).order_by("name", "pk")
    components = list(components)
    paid = _paid_by_quarter(program)
    links = ComponentKPI.objects.filter(component__program=program).select_related("kpi")
    kpis: dict[int, list[KPI]] = defaultdict(list)
    for link in links.order_by("kpi__code"):
        kpis[link.component_id].append(link.kpi)
    achieved = _achievement_by_quarter(program, {k.pk: k for ks in kpis.values() for k in ks})
    seen = {q for by_quarter in paid.values() for q in by_quarter}
    seen |= {q for by_quarter in achieved.values() for q in by_quarter}
    quarters = _quarter_span(seen)
    return [
        ComponentCurve(
            component=component,
            kpis=kpis[component.pk],
            quarters=_curve(component, quarters, paid[component.pk], kpis[component.pk], achieved),
        )
        for component in components
    ]


def _paid_by_quarter(program: Program) -> dict[int, dict[Quarter, Decimal]]:
    rows = (
        Disbursement.objects.filter(program=program, component__isnull=False)
        .order_by()
        .values("component_id", year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .annotate(total=Sum("amount"))
    )
    paid: dict[int, dict[Quarter, Decimal]] = defaultdict(dict)
    for row in rows:
        paid[row["component_id"]][row["year"], row["quarter"]] = row["total"]
    return paid


def _achievement_by_quarter(
    program: Program, kpis: dict[int, KPI]
) -> dict[int, dict[Quarter, Decimal]]:
    """KPI id -> quarter -> achievement capped to 0..1, where the quarter's row has one."""
    if not kpis:
        return {}
    rows = Rollup.objects.filter(
        level=Level.PROGRAM, unit_id=program.pk, kpi_id__in=list(kpis)
    ).values_list(
        "kpi_id", "period__kind", "period__year", "period__quarter", "value", "target", "baseline"
    )
    quarters: dict[int, dict[Quarter, Decimal]] = defaultdict(dict)
    years: dict[int, dict[Quarter, Decimal]] = defaultdict(dict)
    for kpi_id, kind, year, quarter, value, target, baseline in rows:
        score = achievement(
            actual=value,
            target=target,
            baseline=baseline,
            lower_is_better=kpis[kpi_id].direction == KPI.Direction.LOWER,
        )
        if score is None:
            continue
        capped = min(max(score, ZERO), ONE)
        if kind == Period.Kind.YEAR:
            years[kpi_id][year, 4] = capped
        else:
            quarters[kpi_id][year, quarter] = capped
    return {kpi_id: quarters[kpi_id] | years[kpi_id] for kpi_id in quarters.keys() | years.keys()}


def _quarter_span(seen: set[Quarter]) -> list[Quarter]:
    if not seen:
        return []
    (year, quarter), last = min(seen), max(seen)
    span = []
    while (year, quarter) <= last:
        span.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return span


def _curve(
    component: Component,
    quarters: list[Quarter],
    paid: dict[Quarter, Decimal],
    kpis: list[KPI],
    achieved: dict[int, dict[Quarter, Decimal]],
) -> list[ComponentQuarter]:
    running = ZERO
    latest = dict.fromkeys((kpi.pk for kpi in kpis), ZERO)
    points = []
    for year, quarter in quarters:
        running += paid.get((year, quarter), ZERO)
        for kpi in kpis:
            latest[kpi.pk] = achieved.get(kpi.pk, {}).get((year, quarter), latest[kpi.pk])
        points.append(
            ComponentQuarter(
                label=f"{year} Q{quarter}",
                disbursed=running,
                budget_share=running / component.budget if component.budget else None,
                targets_share=sum(latest.values()) / len(latest) if latest else None,
            )
        )
    return points
