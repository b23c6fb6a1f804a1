"""Template filters for amounts and rates: Decimal in, localised text out (no floats)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from programs.money import as_percent, cents

register = template.Library()


@register.filter
def amount(value: Decimal | None) -> str:
    """An amount with two decimals and the locale's grouping; a dash when missing."""
    if value is None:
        return "—"
    # rounded first: number_format cuts extra decimals of a Decimal instead of rounding them
    return number_format(cents(value), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def percent(rate: Decimal | None) -> str:
    """A 0..1 fraction as a percentage with one decimal ("12.5%"); a dash when undefined."""
    if rate is None:
        return "—"
    return number_format(as_percent(rate), decimal_pos=1, use_l10n=True) + "%"
