"""Pages in Portuguese (pt-BR conventions): the language switcher offers it, and a program's page
reads in Portuguese with its dates and money written the Brazilian way."""

from decimal import Decimal

from django.urls import reverse

from programs.models import Program
from tests.downloads import csv_rows

D = Decimal


def test_the_language_switcher_offers_portuguese(client, money):
    client.force_login(money.world.users["program_officer"])

    html = client.get(reverse("program-portfolio")).content.decode()

    assert 'name="language" value="pt" lang="pt"' in html
    assert "Português" in html


def test_switching_to_portuguese_translates_the_program_page(client, money):
    # 1234567.5 USD: a dot groups the thousands and a comma starts the cents in Portuguese
    Program.objects.filter(pk=money.world.program.pk).update(
        total_amount=D("1234567.5"), funder_amount=D("1000")
    )
    client.force_login(money.world.users["program_officer"])
    page = reverse("program-detail", args=[money.world.program.pk])

    response = client.post(reverse("set_language"), {"language": "pt", "next": page}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == page
    assert '<html lang="pt">' in html
    assert "Data de aprovação" in html  # Approval date
    assert "Comitê estratégico" in html  # Strategic committee
    assert "Sair" in html  # Sign out
    assert "15 jan 2023" in html  # approved on 2023-01-15 (tests/programs/conftest.py)
    assert "1.234.567,50" in html
    assert "1,234,567.50" not in html
    assert "Approval date" not in html


def test_the_portfolio_totals_read_in_portuguese(client, money):
    client.force_login(money.world.users["admin"])

    html = client.get(reverse("program-portfolio"), HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()

    assert '<html lang="pt">' in html
    # 2 programs in USD once the officer's has its own: funder 100 + the one below, 1 in EUR
    assert "Total em EUR (1 programa)" in html
    assert "Taxa de desembolso" in html
    # 15 of a funder amount of 60 disbursed: 25.0 percent, with a decimal comma
    assert "25,0%" in html


def test_the_portfolio_download_has_portuguese_headers(client, money):
    client.force_login(money.world.users["ministry"])

    response = client.get(
        reverse("program-portfolio"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="pt"
    )

    header, *body = csv_rows(response)
    assert header[1] == "Programa"
    assert header[-1] == "Taxa de desembolso (%)"
    assert "Valor do financiador" in header
    assert [row[1] for row in body] == ["Argentina clusters"]
    assert body[0][9] == "USD"
    assert (body[0][11], body[0][12]) == ("100.00", "50.00")  # a machine-readable file: a point
