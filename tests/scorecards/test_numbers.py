"""A KPI's numbers are rounded to its decimal places, the same on pages and in downloads
(scorecards.numbers.kpi_number): set on the KPI, or by its unit when left blank. The pages
and downloads that use it: tests/dashboards/test_kpi_numbers.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scorecards.models import KPI
from scorecards.numbers import kpi_number, kpi_number_text


@pytest.mark.parametrize(
    ("unit", "places", "number", "shown"),
    [
        (KPI.Unit.NUMBER, None, "0.01744444444444444444444444444", "0.02"),  # 2 by default
        (KPI.Unit.PERCENT, None, "66.6667", "66.7"),  # a percentage: 1 by default
        (KPI.Unit.COUNT, None, "6.0000", "6"),  # no trailing zeros
        (KPI.Unit.COUNT, None, "1500.0000", "1500"),  # no exponent (not 1.5E+3)
        (KPI.Unit.NUMBER, 0, "2.5", "3"),  # half up
        (KPI.Unit.NUMBER, 3, "20.33333", "20.333"),
    ],
)
def test_a_number_is_rounded_to_the_kpis_decimal_places(unit, places, number, shown):
    kpi = KPI(unit=unit, decimal_places=places)

    assert kpi_number(Decimal(number), kpi) == Decimal(shown)
    assert str(kpi_number(Decimal(number), kpi)) == shown
    assert kpi_number(None, kpi) is None


def test_a_number_per_firm_takes_two_places_more():
    assert kpi_number(Decimal("0.0174444"), KPI(unit="count"), extra_places=2) == Decimal("0.0174")


def test_the_text_of_a_number_is_in_the_pages_language():
    kpi = KPI(unit=KPI.Unit.NUMBER, decimal_places=1)
    with translation.override("es"):
        assert (
            kpi_number_text(Decimal("1234.56"), kpi) == "1\xa0234,6"
        )  # Spanish groups with a space
    with translation.override("pt"):
        assert kpi_number_text(Decimal("1234.56"), kpi) == "1.234,6"  # Brazilian: dot, comma
    with translation.override("en"):
        assert kpi_number_text(Decimal("1234.56"), kpi) == "1,234.6"


def test_a_kpi_keeps_at_most_four_decimal_places(db):
    kpi = KPI(code="k", name="k", unit="number", decimal_places=5)
    with pytest.raises(ValidationError) as raised:
        kpi.full_clean(exclude=["template", "csf"])
    assert "decimal_places" in raised.value.message_dict


def test_without_a_kpi_a_number_keeps_the_four_places_values_are_kept_to():
    assert kpi_number(Decimal("2.123456"), "") == Decimal("2.1235")
