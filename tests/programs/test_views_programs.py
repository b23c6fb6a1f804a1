"""Program pages and downloads: scope, totals per currency, the chart and its table, CSV/XLSX
contents with formula neutralisation, and a bounded number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import StrategicCommitteeMember
from tests.downloads import csv_rows, xlsx_rows
from tests.programs.conftest import disburse, live_program

D = Decimal
ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
PORTFOLIO = reverse("program-portfolio")


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


def test_pages_ask_anonymous_visitors_to_sign_in(client, money):
    for url in (PORTFOLIO, reverse("program-detail", args=[money.world.program.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_page_lists_the_programs_in_scope_for_every_role(client, money, role):
    html = signed_in(client, money.world, role).get(PORTFOLIO).content.decode()
    assert "Argentina clusters" in html
    assert ("Ecuador clusters" in html) is (role == "admin")
    assert 'href="/programs/"' in html  # the menu link


@pytest.mark.parametrize("role", ROLES)
def test_program_page_renders_in_scope_and_answers_404_outside(client, money, role):
    client = signed_in(client, money.world, role)
    page = client.get(reverse("program-detail", args=[money.world.program.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Training", "Laura Benegas", "Mendoza wine", "Strategic committee", "50.00"):
        assert text in html
    other = client.get(reverse("program-detail", args=[money.world.other_program.pk]))
    assert other.status_code == (200 if role == "admin" else 404)


def test_totals_row_is_per_currency_with_the_portfolio_rate(client, money):
    live_program(name="Idle dollars", funder_amount=D("300"), countries=[money.world.argentina])
    response = signed_in(client, money.world, "admin").get(PORTFOLIO)
    totals = {t.currency: t for t in response.context["totals"]}
    # USD: 50 disbursed of 100 + 300 approved = 12.5 %; EUR: 15 of 60 = 25 %
    assert totals["USD"].disbursement_rate == D("0.125")
    assert totals["EUR"].disbursement_rate == D("0.25")
    html = response.content.decode()
    assert "Total in USD (2 programs)" in html
    assert "12.5%" in html and "25.0%" in html


def test_filters_narrow_rows_and_totals(client, money):
    client = signed_in(client, money.world, "admin")
    response = client.get(PORTFOLIO, {"country": "EC"})
    assert [p.name for p in response.context["page_obj"]] == ["Ecuador clusters"]
    assert [t.currency for t in response.context["totals"]] == ["EUR"]
    for query in ({"funder": "EU"}, {"status": "in_execution", "typology": ""}, {"year": "2023"}):
        assert client.get(PORTFOLIO, query).status_code == 200
    by_funder = client.get(PORTFOLIO, {"funder": "eu"})  # the API's case-blind match, kept
    assert [p.name for p in by_funder.context["page_obj"]] == ["Ecuador clusters"]
    # a year no program in scope was approved in is not among the choices: refused, not empty
    assert client.get(PORTFOLIO, {"year": "1999"}).status_code == 400


def test_columns_sort_both_ways(client, money):
    client = signed_in(client, money.world, "admin")
    names = lambda r: [p.name for p in r.context["page_obj"]]  # noqa: E731
    assert names(client.get(PORTFOLIO, {"sort": "funder"})) == [
        "Ecuador clusters",
        "Argentina clusters",
    ]
    descending = client.get(PORTFOLIO, {"sort": "-funder"})
    assert names(descending) == ["Argentina clusters", "Ecuador clusters"]
    assert 'aria-sort="descending"' in descending.content.decode()


def test_chart_has_its_numbers_in_a_table(client, money):
    disburse(money.world.program, "25", on="2024-09-15")
    html = signed_in(client, money.world, "program_officer").get(PORTFOLIO).content.decode()
    assert "<svg" in html
    assert "Cumulative disbursements in USD" in html
    # 2024 Q1: 50 (cumulative 50); Q2: 0 (50); Q3: 25 (75 of 100 = 75 %)
    assert "2024 Q3" in html and "75.00" in html and "75.0%" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_hold_the_same_filtered_rows_in_scope(client, money, fmt):
    response = signed_in(client, money.world, "ministry").get(PORTFOLIO, {"format": fmt})
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    header, *body = rows
    assert header[1] == "Program" and header[-1] == "Disbursement rate (%)"
    assert [row[1] for row in body] == ["Argentina clusters"]  # the ministry's country only
    line = body[0]
    assert (line[0], line[9]) == ("Argentina", "USD")
    if fmt == "xlsx":  # numbers stay numbers
        assert (line[11], line[12], line[13]) == (100, 50, 50)
    else:
        assert (line[11], line[12], line[13]) == ("100.00", "50.00", "50.00")


def test_downloads_take_the_filters(client, money):
    client = signed_in(client, money.world, "admin")
    rows = csv_rows(client.get(PORTFOLIO, {"format": "csv", "funder": "eu"}))
    assert [row[1] for row in rows[1:]] == ["Ecuador clusters"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_neutralise_formulas(client, money, fmt):
    program = money.world.program
    type(program).objects.filter(pk=program.pk).update(
        name='=HYPERLINK("http://evil")', funder="+1-2"
    )
    response = signed_in(client, money.world, "admin").get(PORTFOLIO, {"format": fmt})
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    line = next(row for row in rows if "HYPERLINK" in str(row[1]))
    assert line[1].startswith("'=")
    assert line[3] == "'+1-2"


def test_portfolio_page_queries_do_not_grow_with_the_number_of_programs(
    client, money, django_assert_max_num_queries
):
    for n in range(12):
        program = live_program(
            currency="USD" if n % 2 else "EUR",
            countries=[money.world.argentina, money.world.ecuador],
        )
        disburse(program, str(n + 1), on=f"202{n % 4}-0{n % 9 + 1}-10")
    client = signed_in(client, money.world, "admin")
    with django_assert_max_num_queries(12):
        response = client.get(PORTFOLIO)
    assert response.context["page_obj"].paginator.count == 14
    with django_assert_max_num_queries(5):
        client.get(PORTFOLIO, {"format": "csv"})


def test_program_page_queries_are_bounded(client, money, django_assert_max_num_queries):
    for n in range(10):
        disburse(money.world.program, "1", on=f"2024-0{n % 9 + 1}-01", component=money.component)
    client = signed_in(client, money.world, "program_officer")
    # 11, and the components' money and results (monitoring.results): disbursements by
    # quarter, KPI links, program rollup rows
    with django_assert_max_num_queries(14):
        client.get(reverse("program-detail", args=[money.world.program.pk]))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"country": "ZZ"}, "country"),
        ({"year": str(2**64)}, "year"),
        ({"funder": "Nobody"}, "funder"),
        ({"typology": "bogus", "country": "AR"}, "typology"),
    ],
)
def test_portfolio_shows_the_error_of_a_filter_value_it_does_not_know(client, money, query, field):
    response = signed_in(client, money.world, "admin").get(PORTFOLIO, query)

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["totals"] == []
    assert f'aria-describedby="id_{field}_error"' in html
    assert "is not one of the available choices" in html


def test_portfolio_refuses_a_sort_it_does_not_know_and_says_so(client, money):
    response = signed_in(client, money.world, "admin").get(PORTFOLIO, {"sort": "bogus"})

    assert response.status_code == 400
    assert "Sort by: Select a valid choice" in response.content.decode()


def test_portfolio_download_with_a_refused_filter_shows_the_page_and_its_error(client, money):
    client = signed_in(client, money.world, "admin")
    response = client.get(PORTFOLIO, {"status": "bogus", "format": "xlsx"})

    assert response.status_code == 400
    assert "bogus is not one of the available choices" in response.content.decode()


def test_portfolio_country_choices_are_those_in_scope_and_keep_the_sort(client, money):
    response = signed_in(client, money.world, "ministry").get(
        PORTFOLIO, {"country": "ar", "sort": "-funder"}
    )

    html = response.content.decode()
    assert '<option value="AR" selected>Argentina</option>' in html
    assert 'value="EC"' not in html  # Ecuador's programs are outside the ministry's scope
    assert '<input type="hidden" name="sort" value="-funder"' in html
    assert (
        signed_in(client, money.world, "ministry").get(PORTFOLIO, {"country": "EC"}).status_code
        == 400
    )


def _members_table(html: str) -> tuple[list[str], str]:
    table = re.search(r'<table class="committee-members">(.*?)</table>', html, re.S).group(1)
    head, body = table.split("</thead>")
    return re.findall(r'<th scope="col">([^<]*)</th>', head), body


def test_committee_members_read_alike_on_the_program_and_the_cluster_page(client, money):
    StrategicCommitteeMember.objects.create(
        program=money.world.program,
        name="Ana Pasada",
        organisation="Cámara vieja",
        stakeholder_type="private",
        sex="female",
        since=datetime.date(2019, 1, 1),
        until=datetime.date(2021, 1, 1),
    )
    client = signed_in(client, money.world, "program_officer")

    program_head, program_rows = _members_table(
        client.get(reverse("program-detail", args=[money.world.program.pk])).content.decode()
    )
    cluster_head, cluster_rows = _members_table(
        client.get(reverse("cluster-detail", args=[money.world.inside.pk])).content.decode()
    )

    assert (
        program_head
        == cluster_head
        == [
            "Member",
            "Role",
            "Stakeholder type",
            "Sex",
            "Member since",
        ]
    )
    assert "Laura Benegas" in program_rows and "Public sector" in program_rows
    assert money.world.committees["inside"].member.name in cluster_rows
    # a seat that ended is kept on the program's page, marked with its end
    assert re.search(r'<tr class="past">\s*<td>Ana Pasada<br><small>Cámara vieja', program_rows)
    assert re.search(r"\(until [^)]*2021\)", program_rows)


def test_the_sort_stays_hidden_after_the_api_schema_was_drawn(client, money):
    # drawing the schema builds the API FilterSet's form fields, which the page's copy inherits
    assert client.get(reverse("schema")).status_code == 200

    html = signed_in(client, money.world, "admin").get(PORTFOLIO, {"sort": "-funder"}).content
    html = html.decode()

    assert '<input type="hidden" name="sort" value="-funder"' in html
    assert "Sort by" not in html
