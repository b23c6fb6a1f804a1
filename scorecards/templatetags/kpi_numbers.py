"""`{{ number|kpi_number:kpi }}`: a KPI's number rounded to its decimal places, localised
(scorecards.numbers); `{{ number|kpi_number_per:kpi }}` for a number per firm or employee.

`{% kpi_value number kpi %}`, `{% share_percent share %}` and `{% rollup_value number kpi=
share= %}` write a value as pages show it. They are tags, not included templates, because a
dashboard shows hundreds of values and each include costs a template context of its own."""

from django import template
from django.utils.translation import gettext

from scorecards.numbers import kpi_number_text

register = template.Library()

NO_VALUE = "—"


@register.filter
def kpi_number(number, kpi) -> str:
    return kpi_number_text(number, kpi)


@register.filter
def kpi_number_per(number, kpi) -> str:
    return kpi_number_text(number, kpi, extra_places=2)


@register.simple_tag
def kpi_value(number, kpi) -> str:
    """A KPI's value: Yes or No, a percentage, an amount with its currency, or the number."""
    if number is None:
        return NO_VALUE
    unit = getattr(kpi, "unit", None)
    if unit == "yes_no":
        return gettext("Yes") if number == 1 else gettext("No")
    text = kpi_number_text(number, kpi)
    if unit == "percent":
        return gettext("%(value)s%%") % {"value": text}
    if unit == "currency":
        return f"{text} {kpi.currency}"
    return text


@register.simple_tag
def share_percent(share) -> str:
    """A share (0.25) as a whole percentage ("25%"), rounded as {% widthratio %} rounds."""
    if share is None:
        return NO_VALUE
    return gettext("%(value)s%%") % {"value": round(float(share) * 100)}


@register.simple_tag
def rollup_value(number, kpi=None, share=False) -> str:
    """A rolled-up number: a share of yes as a percentage, else the KPI's value."""
    if number is None:
        return NO_VALUE
    return share_percent(number) if share else kpi_value(number, kpi)
