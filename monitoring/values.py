"""Checking a KPI value against its unit: one set of rules for the form, the API and the import."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from scorecards.models import KPI, AgeGroup, Dimension, categories

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
    # the parts of the dimensions other than sex: {dimension: {category: value}}, only those
    # given (monitoring.models.MeasurementSplit)
    splits: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in INPUT_FIELDS}

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.as_dict().values()) and not self.splits


def split_error_key(dimension: str, category: str) -> str:
    """The error key of one part's input: `splits.<dimension>.<category>`."""
    return f"splits.{dimension}.{category}"


def _parse_splits(
    kpi: KPI, raw, errors: dict, age_groups: list[AgeGroup] | None
) -> dict[str, dict[str, Decimal]]:
    """The parts given for the KPI's dimensions other than sex ({dimension: {category: raw}}
    in); a dimension the KPI does not ask for is ignored, an unknown category refused."""
    found: dict[str, dict[str, Decimal]] = {}
    if not raw:
        return found
    if not isinstance(raw, dict):
        errors.setdefault("splits", []).append(_("Give the parts by dimension and category."))
        return found
    for dimension in kpi.split_dimensions:
        if dimension == Dimension.SEX or not raw.get(dimension):
            continue
        given = raw[dimension]
        if not isinstance(given, dict):
            errors.setdefault(f"splits.{dimension}", []).append(
                _("Give the parts by dimension and category.")
            )
            continue
        known = {code for code, _label in categories(dimension, age_groups=age_groups)}
        for category, text in given.items():
            key = split_error_key(dimension, category)
            if category not in known:
                errors.setdefault(key, []).append(_("Unknown category."))
                continue
            try:
                number = parse_decimal(text)
            except ValueError as error:
                errors.setdefault(key, []).append(str(error))
                continue
            if number is None:
                continue
            if number < 0 or number != number.to_integral_value():
                errors.setdefault(key, []).append(_("A count is a whole number, zero or more."))
                continue
            found.setdefault(dimension, {})[category] = number
    return found


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


def clean_values(
    kpi: KPI, raw: dict, *, age_groups: list[AgeGroup] | None = None
) -> tuple[CleanValues, dict[str, list[str]]]:
    """Parse and check the inputs that fit the KPI's unit; return the values and per-field errors.

    All-empty input is valid (nothing entered yet); completeness is checked on submit. Parts
    (`raw["splits"]`: {dimension: {category: raw}}) that do not add up to the value are
    flagged, not refused (monitoring.reports.checks). `age_groups`: those in use, to spare a
    query per value.
    """
    errors: dict[str, list[str]] = {}
    parsed = CleanValues()
    for name in INPUT_FIELDS:
        try:
            setattr(parsed, name, parse_decimal(raw.get(name)))
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))
    parsed.splits = _parse_splits(kpi, raw.get("splits"), errors, age_groups)
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
        parsed.splits = {}
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
