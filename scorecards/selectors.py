"""Read queries for templates, scorecards, periods and targets."""

from django.db.models import Prefetch, Q, QuerySet

from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
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
                        Prefetch("kpis", TemplateKPI.objects.select_related("kpi"))
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
    return KPI.objects.all()


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def baseline_list() -> QuerySet[Baseline]:
    return Baseline.objects.all()


def target_list() -> QuerySet[Target]:
    return Target.objects.all()


def scorecard_list() -> QuerySet[ClusterScorecard]:
    return ClusterScorecard.objects.all()
