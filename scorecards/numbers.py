"""A KPI's numbers as people read them, on pages and in downloads alike: rounded half up to the
KPI's decimal places (KPI.places), without trailing zeros or an exponent. Every page (the
`kpi_number` filter) and every CSV/XLSX download of a KPI's values goes through kpi_number."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext

from scorecards.models import KPI
from scorecards.models.kpis import MAX_DECIMAL_PLACES


def kpi_number(number: Decimal | None, kpi: KPI, *, extra_places: int = 0) -> Decimal | None:
    """`number` rounded to the KPI's decimal places (plus `extra_places`, for a number of the
    KPI divided by firms or employees): 0.017444… -> 0.02, 20.5 -> 20.5, 6.0000 -> 6. Without
    a KPI (a template that forgot to pass it), as values are kept: 4 places."""
    if number is None:
        return None
    places = kpi.places if isinstance(kpi, KPI) else MAX_DECIMAL_PLACES
    step = Decimal(1).scaleb(-(places + extra_places))
    rounded = Decimal(number).quantize(step, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


def kpi_number_text(number: Decimal | None, kpi: KPI, *, extra_places: int = 0) -> str:
    """The rounded number in the page's language, thousands grouped: "1,234.5", "1.234,5"."""
    rounded = kpi_number(number, kpi, extra_places=extra_places)
    if rounded is None:
        return ""
    return formats.number_format(rounded, use_l10n=True, force_grouping=True)


NO_VALUE = "—"


def percent_text(value) -> str:
    """ "25%" in the page's language ("25 %" in Spanish)."""
    return gettext("%(value)s%%") % {"value": value}


def kpi_value_text(number: Decimal | None, kpi: KPI) -> str:
    """A KPI's value as pages show it: Yes or No, a percentage, an amount with its currency, or
    the number; NO_VALUE without one."""
    if number is None:
        return NO_VALUE
    unit = getattr(kpi, "unit", None)
    if unit == KPI.Unit.YES_NO:
        return gettext("Yes") if number == 1 else gettext("No")
    text = kpi_number_text(number, kpi)
    if unit == KPI.Unit.PERCENT:
        return percent_text(text)
    if unit == KPI.Unit.CURRENCY:
        return f"{text} {kpi.currency}"
    return text


def share_text(share) -> str:
    """A share (0.25) as a whole percentage, "25%", rounded as {% widthratio %} rounds."""
    return NO_VALUE if share is None else percent_text(round(float(share) * 100))
