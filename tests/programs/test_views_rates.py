"""Exchange-rate pages: the table and its downloads, the admins' spreadsheet import (all rows or
none, problems by row, CSV and XLSX), the menu link, and the portfolio page in a chosen currency
naming the rates used or the one missing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from programs.rates.models import ExchangeRate
from tests.downloads import csv_rows, xlsx_rows
from tests.programs.test_services_rates import rate

D = Decimal
ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
LIST = reverse("exchange-rate-list")
IMPORT = reverse("exchange-rate-import")
PORTFOLIO = reverse("program-portfolio")
HEADER = "base_currency,quote_currency,date,rate,source"


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


def csv_file(*rows: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("rates.csv", "\n".join([header, *rows]).encode(), "text/csv")


def xlsx_file(*rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["From currency", "To currency", "Date", "Rate", "Source"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("rates.xlsx", out.getvalue())


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_reads_the_rates_and_only_admins_see_the_import(client, money, role):
    rate("EUR", "USD", "2024-05-01", "1.0850", source="ECB")
    html = signed_in(client, money.world, role).get(LIST).content.decode()
    assert "EUR/USD" in html and "1.085" in html and "ECB" in html
    assert (IMPORT in html) is (role == "admin")
    assert (f'href="{LIST}"' in html) is (role == "admin")  # the menu link: admins keep the table
    assert client.get(IMPORT).status_code == (200 if role == "admin" else 404)


def test_the_table_downloads_as_csv_and_xlsx(client, money):
    rate("EUR", "USD", "2024-05-01", "1.0850", source="=ECB")
    signed_in(client, money.world, "ministry")
    rows = csv_rows(client.get(LIST, {"format": "csv"}))
    assert rows[1] == ["EUR", "USD", "2024-05-01", "1.0850000000", "'=ECB"]
    assert xlsx_rows(client.get(LIST, {"format": "xlsx"}))[1][:2] == ("EUR", "USD")


def test_the_table_page_asks_a_fixed_number_of_queries(
    client, money, django_assert_max_num_queries
):
    for n in range(40):
        rate(
            "EUR",
            "USD",
            (datetime.date(2024, 1, 1) + datetime.timedelta(days=n)).isoformat(),
            "1.1",
        )
    signed_in(client, money.world, "admin")
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 40


def test_an_admin_imports_a_csv_of_rates(client, money):
    signed_in(client, money.world, "admin")
    response = client.post(
        IMPORT,
        {"file": csv_file('eur,USD,2024-01-02,"1,0950",ECB', "USD,ARS,02/01/2024,820.5,BCRA")},
    )
    assert response.status_code == 302
    assert sorted(ExchangeRate.objects.values_list("base_currency", "quote_currency", "rate")) == [
        ("EUR", "USD", D("1.095")),
        ("USD", "ARS", D("820.5")),
    ]


def test_an_xlsx_with_labels_and_date_cells_imports_too(client, money):
    signed_in(client, money.world, "admin")
    upload = xlsx_file(("EUR", "USD", datetime.date(2024, 1, 2), 1.095, "ECB"))
    assert client.post(IMPORT, {"file": upload}).status_code == 302
    stored = ExchangeRate.objects.get()
    assert (stored.date, stored.rate) == (datetime.date(2024, 1, 2), D("1.095"))


def test_a_wrong_row_imports_nothing_and_every_problem_is_said_by_row(client, money):
    signed_in(client, money.world, "admin")
    upload = csv_file(
        "EUR,USD,2024-01-02,1.095,ECB",
        "EUR,EUR,2024-01-02,1,",
        "EUR,XYZ,2024-13-40,abc,",
        "EUR,USD,2024-01-02,1.10,again",
    )
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 400
    errors = [str(e) for e in response.context["errors"]]
    assert "Row 3: A rate converts between two different currencies." in errors
    assert "Row 4, date: Write the date as YYYY-MM-DD (or DD/MM/YYYY)." in errors
    assert "Row 4, rate: Enter the rate as a number, e.g. 1.0850." in errors
    assert any(e.startswith("Row 4, quote_currency: XYZ is not an ISO 4217") for e in errors)
    assert "Row 5, date: Row 2 already gives this pair's rate on this date." in errors
    assert ExchangeRate.objects.count() == 0
    assert "Nothing was imported" in response.content.decode()


def test_a_pair_and_date_already_stored_takes_the_files_rate(client, money):
    rate("EUR", "USD", "2024-01-02", "1.0", source="typo")
    signed_in(client, money.world, "admin")
    assert (
        client.post(IMPORT, {"file": csv_file("EUR,USD,2024-01-02,1.095,ECB")}).status_code == 302
    )
    assert ExchangeRate.objects.values_list("rate", "source").get() == (D("1.095"), "ECB")


def test_a_file_without_the_columns_is_refused_as_a_whole(client, money):
    signed_in(client, money.world, "admin")
    response = client.post(IMPORT, {"file": csv_file("EUR,USD", header="from,to")})
    assert response.status_code == 400
    assert "missing: base_currency, quote_currency, date, rate" in str(
        response.context["errors"][0]
    )


def test_the_import_form_without_a_file_shows_its_error_summary(client, money):
    signed_in(client, money.world, "admin")
    response = client.post(IMPORT, {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html and 'aria-describedby="id_file_helptext id_file_error"' in html


def test_the_template_lists_the_columns(client, money):
    signed_in(client, money.world, "admin")
    rows = csv_rows(client.get(reverse("exchange-rate-template")))
    assert rows[0] == HEADER.split(",")


def test_the_portfolio_page_shows_totals_in_a_chosen_currency_and_the_rates_used(client, money):
    rate("EUR", "USD", "2023-01-01", "1.05", source="ECB")
    rate("EUR", "USD", "2024-05-01", "1.10", source="ECB")
    signed_in(client, money.world, "admin")
    response = client.get(PORTFOLIO, {"currency": "USD"})
    html = response.content.decode()
    converted = response.context["converted"]
    assert (converted.total_amount, converted.disbursed) == (D("284.00"), D("66.50"))
    assert "Totals converted to USD" in html and "data-rates-used" in html
    assert html.count("EUR/USD") == 2  # the two rates used, each named
    assert "Total in EUR" in html  # the totals per currency stay


def test_the_portfolio_page_names_a_missing_rate(client, money):
    rate("EUR", "USD", "2024-01-01", "1.10")
    signed_in(client, money.world, "admin")
    html = client.get(PORTFOLIO, {"currency": "USD"}).content.decode()
    assert "No exchange rate from EUR to USD (nor from USD to EUR) on or before 2023-01-15." in html
    assert "data-converted-total" not in html


def test_the_portfolio_page_refuses_a_currency_it_cannot_show(client, money):
    signed_in(client, money.world, "admin")
    response = client.get(PORTFOLIO, {"currency": "XYZ"})
    assert response.status_code == 400
    assert response.context["converted"] is None


def test_the_converted_portfolio_page_asks_a_fixed_number_of_queries(
    client, money, django_assert_max_num_queries
):
    rate("EUR", "USD", "2023-01-01", "1.05")
    signed_in(client, money.world, "admin")
    with django_assert_max_num_queries(15):  # the page's 12, and amounts, payments and rates
        client.get(PORTFOLIO, {"currency": "USD"})
