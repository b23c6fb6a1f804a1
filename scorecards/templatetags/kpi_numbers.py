"""`{{ number|kpi_number:kpi }}`: a KPI's number rounded to its decimal places, localised
(scorecards.numbers); `{{ number|kpi_number_per:kpi }}` for a number per firm or employee.

`{% kpi_value number kpi %}`, `{% share_percent share %}` and `{% rollup_value number kpi=
share= %}` write a value as pages show it (scorecards.numbers). They are tags, not included
templates, because a dashboard shows hundreds of values and each include costs a context."""

from django import template

from scorecards.numbers import kpi_number_text, kpi_value_text, share_text

register = template.Library()


@register.filter
def kpi_number(number, kpi) -> str:
    return kpi_number_text(number, kpi)


@register.filter
def kpi_number_per(number, kpi) -> str:
    return kpi_number_text(number, kpi, extra_places=2)


@register.simple_tag
def kpi_value(number, kpi) -> str:
    return kpi_value_text(number, kpi)


@register.simple_tag
def share_percent(share) -> str:
    return share_text(share)


@register.simple_tag
def rollup_value(number, kpi=None, share=False) -> str:
    """A rolled-up number: a share of yes as a percentage, else the KPI's value."""
    return share_text(number) if share else kpi_value_text(number, kpi)
