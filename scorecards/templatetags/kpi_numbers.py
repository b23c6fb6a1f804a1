"""`{{ number|kpi_number:kpi }}`: a KPI's number rounded to its decimal places, localised
(scorecards.numbers); `{{ number|kpi_number_per:kpi }}` for a number per firm or employee."""

from django import template

from scorecards.numbers import kpi_number_text

register = template.Library()


@register.filter
def kpi_number(number, kpi) -> str:
    return kpi_number_text(number, kpi)


@register.filter
def kpi_number_per(number, kpi) -> str:
    return kpi_number_text(number, kpi, extra_places=2)
