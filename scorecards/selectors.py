"""Read queries for templates, scorecards, periods and targets."""

from django.db.models import Q, QuerySet

from scorecards.models import KPI, ClusterScorecard, Period


def kpis_due(*, scorecard: ClusterScorecard, period: Period) -> QuerySet[KPI]:
    """The scorecard's KPIs reported in this kind of period: its template's core KPIs and
    the cluster's accepted own KPIs, of the matching frequency."""
    frequency = KPI.Frequency.QUARTERLY if period.is_quarter else KPI.Frequency.ANNUAL
    in_template = Q(placements__csf__perspective__template=scorecard.template_id)
    own = Q(own_placement__scorecard=scorecard, status=KPI.Status.ACCEPTED)
    return KPI.objects.filter(in_template | own, frequency=frequency).distinct().order_by("code")
