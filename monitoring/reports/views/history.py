"""History pages of a report's value and of the plan beside it (a target, a baseline): the
object is found in the user's scope (404 outside it) and shown by core.history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.scopes import scope_queryset, scope_reports
from core.history.views import history_page
from monitoring.models import Measurement
from monitoring.reports import selectors
from scorecards.models import Baseline, Level, Target


@login_required
def measurement_history(request, pk: int):
    """A value of a report the user may read (ministries: approved reports only)."""
    values = Measurement.objects.select_related("report__cluster", "report__period", "kpi")
    measurement = get_object_or_404(scope_reports(values, request.user, prefix="report__"), pk=pk)
    back = f"{measurement.report.get_absolute_url()}#kpi-{measurement.kpi_id}"
    return history_page(
        request,
        measurement,
        back_url=back,
        template="monitoring/measurement_history.html",
        extra_context={"flag_history": selectors.flag_history(measurement_id=measurement.pk)},
    )


@login_required
def target_history(request, pk: int):
    """A cluster's target in scope, or a target of another level (shared, as in the API)."""
    targets = Target.objects.select_related("kpi", "period")
    target = get_object_or_404(scope_queryset(targets, request.user, shared_when_null=True), pk=pk)
    back = None
    if target.level == Level.CLUSTER:
        back = _scorecard_url(target.cluster_id, period_id=target.period_id)
    return history_page(request, target, back_url=back)


@login_required
def baseline_history(request, pk: int):
    baselines = Baseline.objects.select_related("cluster", "kpi")
    baseline = get_object_or_404(scope_queryset(baselines, request.user), pk=pk)
    return history_page(request, baseline, back_url=_scorecard_url(baseline.cluster_id))


def _scorecard_url(cluster_id: int, *, period_id: int | None = None) -> str:
    url = reverse("cluster-scorecard", args=[cluster_id])
    return f"{url}?period={period_id}" if period_id else url
