"""Money display: Decimal rounded half up, never cut, never a float."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs.money import as_percent, cents, disbursement_rate, validate_currency
from programs.templatetags.money import amount, percent

D = Decimal


def test_rates_are_rounded_half_up_not_cut():
    rate = disbursement_rate(D("20750000"), D("40000000"))  # 0.51875
    assert as_percent(rate) == D("51.9")
    assert percent(rate) == "51.9%"
    assert percent(disbursement_rate(D("7"), D("9"))) == "77.8%"  # 77.77...


def test_amounts_show_cents_with_grouping():
    assert amount(D("1234567.125")) == "1,234,567.13"
    assert amount(D("50")) == "50.00"
    assert cents(None) == D("0.00")
    assert (amount(None), percent(None)) == ("—", "—")


@pytest.mark.parametrize("code", ["USD", "EUR", "ARS", "NIO", "XDR"])
def test_active_iso_codes_are_accepted(code):
    validate_currency(code)


@pytest.mark.parametrize("code", ["usd", "XAU", "XXX", "ABC", ""])
def test_other_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_currency(code)
