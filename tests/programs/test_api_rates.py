"""The exchange-rate API and the portfolio's `?currency=`: per-field errors, filters, the rates
used and the missing ones named, and lists whose queries do not grow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.rates.models import ExchangeRate
from tests.programs.test_services_rates import day, rate

D = Decimal
RATES = reverse("api:exchangerate-list")
PORTFOLIO = reverse("api:program-portfolio")


@pytest.fixture
def admin_api(api_client, money):
    api_client.force_authenticate(money.world.users["admin"])
    return api_client


@pytest.fixture
def officer_api(api_client, money):
    api_client.force_authenticate(money.world.users["program_officer"])
    return api_client


def test_an_admin_records_a_rate_in_upper_case(admin_api):
    body = {"base_currency": "eur", "quote_currency": "usd", "date": "2024-05-01", "rate": "1.1"}
    response = admin_api.post(RATES, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() | {"id": 0} == {
        "id": 0,
        "base_currency": "EUR",
        "quote_currency": "USD",
        "date": "2024-05-01",
        "rate": "1.1000000000",
        "source": "",
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"base_currency": "EUROS"}, "base_currency"),
        ({"quote_currency": "EUR"}, "quote_currency"),
        ({"rate": "0"}, "rate"),
        ({"rate": "-1.5"}, "rate"),
        ({"date": "yesterday"}, "date"),
    ],
)
def test_a_wrong_rate_answers_400_naming_the_field(admin_api, payload, field):
    body = {"base_currency": "EUR", "quote_currency": "USD", "date": "2024-05-01", "rate": "1.1"}
    response = admin_api.post(RATES, body | payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_the_same_pair_and_date_twice_answers_400(admin_api):
    rate("EUR", "USD", "2024-05-01", "1.1")
    body = {"base_currency": "EUR", "quote_currency": "USD", "date": "2024-05-01", "rate": "1.2"}
    assert admin_api.post(RATES, body, format="json").status_code == 400


def test_the_list_filters_by_pair_and_dates(officer_api):
    rate("EUR", "USD", "2024-01-01", "1.1")
    rate("EUR", "USD", "2024-06-01", "1.2")
    rate("USD", "ARS", "2024-06-01", "900")
    rows = officer_api.get(RATES, {"base_currency": "eur", "after": "2024-02-01"}).json()
    assert [(r["base_currency"], r["date"]) for r in rows["results"]] == [("EUR", "2024-06-01")]


def test_the_rate_list_asks_a_fixed_number_of_queries(officer_api, django_assert_max_num_queries):
    for n in range(30):
        rate("EUR", "USD", f"2024-01-{n + 1:02}", "1.1")
    with django_assert_max_num_queries(4):
        response = officer_api.get(RATES)
    assert response.json()["count"] == 30


def test_the_portfolio_in_a_chosen_currency_names_the_rates_it_used(officer_api, money):
    rate("EUR", "USD", "2023-01-01", "1.05", source="ECB reference")
    response = officer_api.get(PORTFOLIO, {"currency": "eur"})
    assert response.status_code == 200
    # the officer's scope holds the USD program only: 200 / 1.05, 100 / 1.05, 50 / 1.05
    (row,) = response.json()["results"]
    assert row == {
        "currency": "EUR",
        "programs": 1,
        "total_amount": "190.48",
        "funder_amount": "95.24",
        "disbursed": "47.62",
        "disbursement_rate_percent": "50.00",
        "converted": True,
        "rates_used": [
            {
                "base_currency": "EUR",
                "quote_currency": "USD",
                "date": "2023-01-01",
                "rate": "1.0500000000",
                "source": "ECB reference",
                "inverted": True,
            }
        ],
        "missing_rates": [],
    }


def test_the_portfolio_names_a_missing_rate_instead_of_a_total(admin_api, money):
    rate("EUR", "USD", "2024-03-01", "1.1")
    (row,) = admin_api.get(PORTFOLIO, {"currency": "USD"}).json()["results"]
    assert (row["total_amount"], row["disbursed"], row["disbursement_rate_percent"]) == (
        None,
        None,
        None,
    )
    assert row["missing_rates"] == [
        {
            "from_currency": "EUR",
            "to_currency": "USD",
            "date": "2023-01-15",
            "message": "No exchange rate from EUR to USD (nor from USD to EUR) on or before "
            "2023-01-15.",
        }
    ]


def test_the_portfolio_currency_takes_the_list_filters_too(admin_api, money):
    rate("EUR", "USD", "2023-01-01", "1.05")
    (row,) = admin_api.get(PORTFOLIO, {"currency": "USD", "country": "ec"}).json()["results"]
    assert (row["programs"], row["total_amount"]) == (1, "84.00")  # 80 x 1.05


def test_an_unknown_portfolio_currency_answers_400(admin_api):
    response = admin_api.get(PORTFOLIO, {"currency": "EURO"})
    assert response.status_code == 400
    assert "currency" in response.json()


def test_rates_are_stored_as_decimals(admin_api):
    body = {
        "base_currency": "USD",
        "quote_currency": "ARS",
        "date": "2024-05-01",
        "rate": "875.1234567891",
    }
    admin_api.post(RATES, body, format="json")
    assert ExchangeRate.objects.get().rate == D("875.1234567891")
    assert ExchangeRate.objects.get().date == day("2024-05-01")
