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


def shown(source: str, **context) -> str:
    from django.template import Context, Template

    return Template("{% load kpi_numbers %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("kpi", "number", "english", "spanish"),
    [
        (KPI(unit=KPI.Unit.YES_NO), Decimal("1.0000"), "Yes", "Sí"),
        (KPI(unit=KPI.Unit.YES_NO), Decimal("0"), "No", "No"),
        (KPI(unit=KPI.Unit.PERCENT), Decimal("66.6667"), "66.7%", "66,7 %"),
        (KPI(unit=KPI.Unit.CURRENCY, currency="USD"), Decimal("1234.5"), "1,234.5 USD", None),
        (KPI(unit=KPI.Unit.COUNT), Decimal("1500.0000"), "1,500", None),
        (KPI(unit=KPI.Unit.COUNT), None, "—", "—"),
    ],
)
def test_a_value_reads_by_its_kpis_unit_in_the_pages_language(kpi, number, english, spanish):
    with translation.override("en"):
        assert shown("{% kpi_value number kpi %}", number=number, kpi=kpi) == english
        assert shown("{% rollup_value number kpi=kpi %}", number=number, kpi=kpi) == english
        assert (
            shown('{% include "monitoring/_value.html" %}', number=number, kpi=kpi)
            == english + "\n"
        )
    if spanish is not None:
        with translation.override("es"):
            assert shown("{% kpi_value number kpi %}", number=number, kpi=kpi) == spanish


@pytest.mark.parametrize(
    ("share", "english"),
    [(Decimal("0.25"), "25%"), (Decimal("0.666"), "67%"), (Decimal("1"), "100%"), (None, "—")],
)
def test_a_share_of_yes_reads_as_a_whole_percentage(share, english):
    kpi = KPI(unit=KPI.Unit.COUNT)
    with translation.override("en"):
        assert shown("{% share_percent share %}", share=share) == english
        assert shown("{% rollup_value share kpi=kpi share=True %}", share=share, kpi=kpi) == english
