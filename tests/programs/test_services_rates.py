"""The one conversion (programs.rates.services.convert) and the portfolio converted with it:
hand-worked amounts, the earlier rate for a date between two, the reverse pair inverted, a
missing rate named, and the totals per currency left as they were."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs.models import Program
from programs.rates.models import ExchangeRate
from programs.rates.services import (
    MissingRate,
    RateBook,
    convert,
    exchange_rate_create,
    exchange_rate_update,
)
from programs.selectors import portfolio_in_currency, portfolio_totals
from tests.programs.conftest import disburse

D = Decimal
day = datetime.date.fromisoformat
TODAY = day("2025-01-01")


def rate(base, quote, on, value, source="ECB"):
    return ExchangeRate.objects.create(
        base_currency=base, quote_currency=quote, date=day(on), rate=D(value), source=source
    )


@pytest.fixture
def eur_usd(db):
    """EUR -> USD: 1.05 from 2023-01-01, 1.10 from 2024-05-01, 1.20 from 2024-06-01."""
    return [
        rate("EUR", "USD", "2023-01-01", "1.05"),
        rate("EUR", "USD", "2024-05-01", "1.10"),
        rate("EUR", "USD", "2024-06-01", "1.20"),
    ]


def test_an_amount_dated_between_two_rates_takes_the_earlier_one(eur_usd):
    amount, used = convert(D("15"), from_currency="EUR", to_currency="USD", on=day("2024-05-10"))
    assert amount == D("16.50")  # 15 x 1.10 (the rate of 2024-05-01, not 1.20 of 2024-06-01)
    assert (used.date, used.rate, used.inverted) == (day("2024-05-01"), D("1.10"), False)


def test_a_rate_counts_from_its_own_date(eur_usd):
    amount, used = convert(D("10"), from_currency="EUR", to_currency="USD", on=day("2024-06-01"))
    assert (amount, used.date) == (D("12.00"), day("2024-06-01"))


def test_only_the_reverse_pair_stored_is_used_inverted(eur_usd):
    amount, used = convert(D("110"), from_currency="USD", to_currency="EUR", on=day("2024-05-10"))
    assert amount == D("100")  # 110 / 1.10
    assert (used.pair, used.inverted) == ("EUR/USD", True)


def test_the_stored_direction_wins_over_the_reverse(eur_usd):
    rate("USD", "EUR", "2024-01-01", "0.5")
    _amount, used = convert(D("1"), from_currency="USD", to_currency="EUR", on=day("2024-05-10"))
    assert (used.pair, used.rate, used.inverted) == ("USD/EUR", D("0.5"), False)


def test_a_missing_rate_names_the_pair_and_the_date(eur_usd):
    with pytest.raises(MissingRate) as missing:
        convert(D("1"), from_currency="EUR", to_currency="USD", on=day("2022-12-31"))
    assert str(missing.value) == (
        "No exchange rate from EUR to USD (nor from USD to EUR) on or before 2022-12-31."
    )
    with pytest.raises(MissingRate, match="from ARS to USD"):
        convert(D("1"), from_currency="ARS", to_currency="USD", on=day("2024-01-01"))


def test_the_same_currency_converts_without_a_rate(db):
    assert convert(D("7"), from_currency="USD", to_currency="USD", on=TODAY) == (D("7"), None)


def test_a_book_reads_the_rates_once_for_many_amounts(eur_usd, django_assert_num_queries):
    with django_assert_num_queries(1):
        book = RateBook(currencies=["EUR", "GBP"], to="USD")
        for month in range(1, 13):
            convert(
                D(1),
                from_currency="EUR",
                to_currency="USD",
                on=day(f"2024-{month:02}-01"),
                book=book,
            )


def test_the_portfolio_in_usd_converts_each_amount_at_its_own_date(money, eur_usd):
    # USD program: total 200, funder 100, 50 disbursed; EUR program (approved 2023-01-15):
    # total 80, funder 60, 15 disbursed on 2024-05-10.
    total = portfolio_in_currency(Program.objects.all(), "USD", today=TODAY)
    assert total.total_amount == D("284.00")  # 200 + 80 x 1.05 (the rate of 2023-01-01)
    assert total.funder_amount == D("163.00")  # 100 + 60 x 1.05
    assert total.disbursed == D("66.50")  # 50 + 15 x 1.10 (2024-05-01: before 05-10)
    assert total.disbursement_rate == D("66.50") / D("163.00")  # 40.8 %
    assert [(r.pair, r.date) for r in total.rates_used] == [
        ("EUR/USD", day("2023-01-01")),
        ("EUR/USD", day("2024-05-01")),
    ]
    assert (total.programs, total.missing) == (2, [])


def test_the_portfolio_in_eur_inverts_the_eur_usd_rates(money, eur_usd):
    total = portfolio_in_currency(Program.objects.all(), "EUR", today=TODAY)
    # USD amounts approved 2023-01-15 and disbursed 2024-02-01 both take 1 / 1.05
    assert total.total_amount == D("270.48")  # 80 + 200 / 1.05 = 80 + 190.476...
    assert total.funder_amount == D("155.24")  # 60 + 100 / 1.05 = 60 + 95.238...
    assert total.disbursed == D("62.62")  # 15 + 50 / 1.05 = 15 + 47.619...
    assert [(r.pair, r.inverted) for r in total.rates_used] == [("EUR/USD", True)]


def test_a_total_that_needs_a_missing_rate_names_it_instead_of_a_sum(money):
    rate("EUR", "USD", "2024-01-01", "1.10")  # after the EUR program's approval (2023-01-15)
    total = portfolio_in_currency(Program.objects.all(), "USD", today=TODAY)
    assert (total.total_amount, total.funder_amount, total.disbursed) == (None, None, None)
    assert total.disbursement_rate is None
    assert [(m.pair, m.on) for m in total.missing] == [("EUR/USD", day("2023-01-15"))]


def test_a_program_not_yet_approved_converts_at_today(money, eur_usd):
    Program.objects.filter(pk=money.world.other_program.pk).update(approval_date=None)
    total = portfolio_in_currency(
        Program.objects.filter(pk=money.world.other_program.pk), "USD", today=TODAY
    )
    assert total.total_amount == D("96.00")  # 80 x 1.20, the latest rate on 2025-01-01


def test_totals_per_currency_are_unchanged_by_the_rate_table(money, eur_usd):
    totals = {t.currency: t.disbursed for t in portfolio_totals(Program.objects.all())}
    assert totals == {"EUR": D("15.00"), "USD": D("50.00")}


def test_the_converted_portfolio_asks_a_fixed_number_of_queries(
    money, eur_usd, django_assert_max_num_queries
):
    for n in range(10):
        disburse(money.world.other_program, "1", on=f"2024-0{n % 9 + 1}-15")
    with django_assert_max_num_queries(3):
        portfolio_in_currency(Program.objects.all(), "USD", today=TODAY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"base_currency": "EUR", "quote_currency": "EUR"}, "__all__"),
        ({"base_currency": "XYZ"}, "base_currency"),
        ({"rate": D("0")}, "rate"),
    ],
)
def test_a_rate_is_refused_naming_what_is_wrong(db, data, field):
    good = {"base_currency": "EUR", "quote_currency": "USD", "date": TODAY, "rate": D("1.1")}
    with pytest.raises(ValidationError) as refused:
        exchange_rate_create(data=good | data)
    assert field in refused.value.message_dict


def test_a_rate_is_kept_in_upper_case_and_can_be_corrected(db):
    stored = exchange_rate_create(
        data={"base_currency": "eur", "quote_currency": "usd", "date": TODAY, "rate": D("1.1")}
    )
    assert stored.pair == "EUR/USD"
    exchange_rate_update(rate=stored, data={"rate": D("1.2")})
    stored.refresh_from_db()
    assert stored.rate == D("1.2")


def test_a_book_without_the_currency_does_not_report_a_false_missing_rate(eur_usd):
    book = RateBook(currencies=["GBP"], to="USD")
    amount, used = convert(D("10"), from_currency="EUR", to_currency="USD", on=TODAY, book=book)
    assert (amount, used.rate) == (D("12.00"), D("1.20"))
