"""Checking a KPI value against its unit: one set of rules for the form, the API and the import."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from scorecards.models import KPI

# Anything above this is a typo, not a cluster's number (a billion billion...).
MAX_MAGNITUDE = Decimal("1e12")
FOUR_PLACES = Decimal("0.0001")
MAX_NOTE = 500
INPUT_FIELDS = ("value", "numerator", "denominator", "value_women", "value_men")


@dataclass
class CleanValues:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value_women: Decimal | None = None
    value_men: Decimal | None = None

    def as_dict(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in INPUT_FIELDS}

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.as_dict().values())


def parse_decimal(raw) -> Decimal | None:
    """A finite Decimal from user input ('' and None are no value); ValueError otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Enter a number."))
    if isinstance(raw, float):
        raw = repr(raw)  # shortest exact-looking form: 0.1 stays 0.1
    # Spaces (also the no-break ones of Spanish thousands) group digits; nothing else does.
    text = "".join(str(raw).split()).replace("\u00a0", "").replace("\u202f", "")
    if text == "":
        return None
    if "_" in text:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not number.is_finite():
        raise ValueError(_("Enter a finite number."))
    if abs(number) >= MAX_MAGNITUDE:
        raise ValueError(_("This number is implausibly large."))
    if number != number.quantize(FOUR_PLACES):  # 1.50000 is fine, 1.00001 is not
        raise ValueError(_("Use at most 4 decimal places."))
    return number


def clean_values(kpi: KPI, raw: dict) -> tuple[CleanValues, dict[str, list[str]]]:
    """Parse and check the inputs that fit the KPI's unit; return the values and per-field errors.

    All-empty input is valid (nothing entered yet); completeness is checked on submit.
    """
    errors: dict[str, list[str]] = {}
    parsed = CleanValues()
    for name in INPUT_FIELDS:
        try:
            setattr(parsed, name, parse_decimal(raw.get(name)))
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))
    if errors or parsed.is_empty:
        return parsed, errors

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kpi.is_ratio:
        if parsed.numerator is None:
            add("numerator", _("Enter the numerator."))
        elif parsed.numerator < 0:
            add("numerator", _("The numerator cannot be negative."))
        if parsed.denominator is None:
            add("denominator", _("Enter the denominator."))
        elif parsed.denominator <= 0:
            add("denominator", _("The denominator must be greater than zero."))
        parsed.value = parsed.value_women = parsed.value_men = None
        return parsed, errors

    parsed.numerator = parsed.denominator = None
    if kpi.by_sex:
        women, men = parsed.value_women, parsed.value_men
        if women is not None and men is not None and parsed.value is None:
            parsed.value = women + men
        if (women is None) != (men is None):
            add("value_women" if women is None else "value_men", _("Enter both women and men."))
        # women + men other than the total is flagged, not refused (monitoring.reports.checks)
    else:
        parsed.value_women = parsed.value_men = None
    if parsed.value is None:
        add("value", _("Enter a value."))
        return parsed, errors
    if kpi.unit == KPI.Unit.YES_NO and parsed.value not in (0, 1):
        add("value", _("Answer yes (1) or no (0)."))
    if kpi.unit == KPI.Unit.COUNT:
        for name in ("value", "value_women", "value_men"):
            number = getattr(parsed, name)
            if number is not None and (number < 0 or number != number.to_integral_value()):
                add(name, _("A count is a whole number, zero or more."))
    return parsed, errors
