"""Helpers for tests that need a report with every value entered."""

from monitoring.models import Report


def complete_rows(report: Report, *, keep_entered: bool = False) -> dict[int, dict[str, str]]:
    """A value for every KPI of the report, fitting its unit (ratio 1 / 4, women 1 + men 1,
    else 1), keyed by KPI id as report_record_values takes them. With `keep_entered`, KPIs that
    already have a value are left out, so what the test entered stays."""
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if keep_entered and (m.value is not None or m.numerator is not None):
            continue
        if m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "4"}
        elif m.kpi.by_sex:
            rows[m.kpi_id] = {"value_women": "1", "value_men": "1"}
        else:
            rows[m.kpi_id] = {"value": "1"}
    return rows
