"""Read queries for templates, scorecards, periods and targets."""

from django.db.models import F, Prefetch, Q, QuerySet

from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    ComponentKPI,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)


def kpis_due(*, scorecard: ClusterScorecard, period: Period) -> QuerySet[KPI]:
    """The scorecard's KPIs reported in this kind of period: its template's core KPIs and
    the cluster's accepted own KPIs, of the matching frequency."""
    frequency = KPI.Frequency.QUARTERLY if period.is_quarter else KPI.Frequency.ANNUAL
    in_template = Q(placements__csf__perspective__template=scorecard.template_id)
    own = Q(own_placement__scorecard=scorecard, status=KPI.Status.ACCEPTED)
    return KPI.objects.filter(in_template | own, frequency=frequency).distinct().order_by("code")


def template_list() -> QuerySet[Template]:
    """Templates with their whole tree (perspectives > CSFs > KPIs) prefetched."""
    return Template.objects.prefetch_related(
        Prefetch(
            "perspectives",
            Perspective.objects.prefetch_related(
                Prefetch(
                    "csfs",
                    CSF.objects.prefetch_related(
                        Prefetch("kpis", TemplateKPI.objects.select_related("kpi__checks"))
                    ),
                )
            ),
        )
    )


def perspective_list() -> QuerySet[Perspective]:
    return Perspective.objects.all()


def csf_list() -> QuerySet[CSF]:
    return CSF.objects.all()


def template_kpi_list() -> QuerySet[TemplateKPI]:
    return TemplateKPI.objects.all()


def kpi_list() -> QuerySet[KPI]:
    return KPI.objects.select_related("checks")


def kpis_with_checks() -> QuerySet[KPI]:
    """KPIs with their data-quality rules (if any) and cluster: core KPIs first, by code."""
    return KPI.objects.select_related("checks", "cluster").order_by(
        F("cluster").asc(nulls_first=True), "code"
    )


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def baseline_list() -> QuerySet[Baseline]:
    return Baseline.objects.all()


def target_list() -> QuerySet[Target]:
    return Target.objects.all()


def scorecard_list() -> QuerySet[ClusterScorecard]:
    return ClusterScorecard.objects.all()


def current_scorecard(*, cluster_id: int) -> ClusterScorecard | None:
    """The cluster's scorecard today, with its template."""
    return (
        ClusterScorecard.objects.current()
        .select_related("template")
        .filter(cluster_id=cluster_id)
        .first()
    )


def own_kpis_proposed() -> QuerySet[KPI]:
    """Own KPIs waiting for a decision, the oldest first, with their cluster and placement."""
    return (
        KPI.objects.filter(cluster__isnull=False, status=KPI.Status.PROPOSED)
        .select_related("cluster", "proposed_by", "own_placement__csf")
        .order_by("created_at", "pk")
    )


def own_kpis_of(*, cluster_id: int) -> QuerySet[KPI]:
    """A cluster's own KPIs in every state (proposals and decisions with their reasons)."""
    return (
        KPI.objects.filter(cluster_id=cluster_id)
        .select_related("own_placement__csf", "decided_by")
        .order_by("status", "code")
    )


def template_kpis(*, template_id: int) -> list[KPI]:
    """The core KPIs of a template version in its order (perspective, CSF, placement), once
    each (one query)."""
    placements = (
        TemplateKPI.objects.filter(csf__perspective__template=template_id)
        .select_related("kpi")
        .order_by("csf__perspective__order", "csf__order", "order", "pk")
    )
    return list({placement.kpi_id: placement.kpi for placement in placements}.values())


def scorecard_kpis(*, scorecard: ClusterScorecard) -> list[KPI]:
    """A cluster scorecard's KPIs: its template's, then the cluster's accepted own KPIs."""
    own = KPI.objects.filter(
        own_placement__scorecard=scorecard, status=KPI.Status.ACCEPTED
    ).order_by("code")
    return [*template_kpis(template_id=scorecard.template_id), *own]


def periods_of_year(*, year: int) -> list[Period]:
    """The year's quarters, then the year itself."""
    periods = list(Period.objects.filter(year=year))
    return sorted(periods, key=lambda p: (p.quarter == 0, p.quarter))


def period_years() -> list[int]:
    return list(Period.objects.order_by("year").values_list("year", flat=True).distinct())


def targets_of(*, level: str, unit_field: str | None, unit_id, kpis, periods) -> QuerySet[Target]:
    """The targets of one unit (None for the global level) for these KPIs and periods."""
    targets = Target.objects.filter(level=level, kpi__in=kpis, period__in=periods)
    return targets.filter(**{unit_field: unit_id}) if unit_field else targets


def baselines_of(*, cluster_id: int, kpis) -> QuerySet[Baseline]:
    return Baseline.objects.filter(cluster_id=cluster_id, kpi__in=kpis)


def component_kpi_list() -> QuerySet[ComponentKPI]:
    """Which KPIs measure which program components, with both named (one query a page)."""
    return ComponentKPI.objects.select_related("component", "kpi").order_by(
        "component__program_id", "component__name", "kpi__code", "pk"
    )
