"""Read queries for reports and their values."""

from django.db.models import Prefetch, QuerySet

from monitoring.models import Measurement, Report, ReportTransition


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("cluster", "period", "scorecard")


def report_detail() -> QuerySet[Report]:
    """Reports with their values (and each value's KPI) and review trail prefetched."""
    return report_list().prefetch_related(
        Prefetch("measurements", Measurement.objects.select_related("kpi").order_by("kpi__code")),
        Prefetch("transitions", ReportTransition.objects.select_related("by")),
    )


def measurement_list() -> QuerySet[Measurement]:
    return Measurement.objects.select_related("report", "kpi")
