"""The programs API: per-field validation errors, transitions, disbursements, portfolio totals,
filters, and lists whose query count does not grow with the number of programs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Program
from tests.programs.conftest import disburse, live_program

D = Decimal


@pytest.fixture
def admin_api(api_client, money):
    api_client.force_authenticate(money.world.users["admin"])
    return api_client


@pytest.fixture
def officer_api(api_client, money):
    api_client.force_authenticate(money.world.users["program_officer"])
    return api_client


def test_program_detail_shows_money_components_clusters_and_committee(officer_api, money):
    body = officer_api.get(reverse("api:program-detail", args=[money.world.program.pk])).json()
    assert body["currency"] == "USD"
    assert (body["funder_amount"], body["disbursed"], body["disbursement_rate_percent"]) == (
        "100.00",
        "50.00",
        "50.00",
    )
    assert body["countries"] == ["AR"]
    assert [(c["name"], c["budget"], c["disbursed"]) for c in body["components"]] == [
        ("Training", "80.00", "50.00")
    ]
    assert [e["cluster_code"] for e in body["enrolments"]] == ["mendoza-wine"]
    assert [(m["name"], m["stakeholder_type"]) for m in body["committee_members"]] == [
        ("Laura Benegas", "public")
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "DOLLARS"}, "currency"),
        ({"funder_amount": "900.00", "total_amount": "100.00"}, "funder_amount"),
        ({"total_amount": "-1"}, "total_amount"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"typology": "grants"}, "typology"),
        ({"code": "ar-clusters"}, "code"),
    ],
)
def test_create_answers_400_naming_the_field(admin_api, payload, field):
    body = {"code": "new", "name": "New", "currency": "USD"} | payload
    response = admin_api.post(reverse("api:program-list"), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_create_accepts_a_lower_case_currency_and_starts_in_preparation(admin_api):
    body = {"code": "new", "name": "New", "currency": "eur", "total_amount": "10.50"}
    response = admin_api.post(reverse("api:program-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["currency"], response.json()["status"]) == ("EUR", "preparation")
    assert Program.objects.get(code="new").total_amount == D("10.50")


def test_update_below_what_was_disbursed_answers_400_on_the_funder_amount(officer_api, money):
    url = reverse("api:program-detail", args=[money.world.program.pk])
    response = officer_api.patch(url, {"funder_amount": "49.99"}, format="json")
    assert response.status_code == 400
    assert "funder_amount" in response.json()


def test_status_is_not_changed_by_an_update(officer_api, money):
    url = reverse("api:program-detail", args=[money.world.program.pk])
    response = officer_api.patch(url, {"status": "closed"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "in_execution")


def test_a_refused_transition_answers_400_on_status(officer_api, money):
    url = reverse("api:program-transition", args=[money.world.program.pk])
    response = officer_api.post(url, {"status": "approved"}, format="json")
    assert response.status_code == 400
    assert "Closed" in response.json()["status"][0]  # names what is allowed


def test_an_allowed_transition_records_its_date(officer_api, money):
    url = reverse("api:program-transition", args=[money.world.program.pk])
    response = officer_api.post(url, {"status": "closed", "on": "2025-06-30"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["closing_date"]) == (
        "closed",
        "2025-06-30",
    )


@pytest.mark.parametrize(
    ("on", "message"),
    [("2099-01-01", "in the future"), ("2022-12-31", "previous step (2023-01-15)")],
)
def test_a_transition_dated_in_the_future_or_before_the_previous_step_answers_400_on_its_date(
    officer_api, money, on, message
):
    url = reverse("api:program-transition", args=[money.world.program.pk])
    response = officer_api.post(url, {"status": "closed", "on": on}, format="json")
    assert response.status_code == 400
    assert message in response.json()["on"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "51.00"}, "amount"),  # 50 of 100 already disbursed
        ({"date": "2020-01-01"}, "date"),  # before the approval
        ({"date": "not a date"}, "date"),
    ],
)
def test_a_refused_disbursement_answers_400_naming_the_field(officer_api, money, payload, field):
    body = {"date": "2024-06-01", "amount": "10.00"} | payload
    url = reverse("api:program-disbursements", args=[money.world.program.pk])
    response = officer_api.post(url, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert money.world.program.disbursements.count() == 1


@pytest.mark.parametrize("component", ["other_component", "missing"])
def test_a_component_not_of_the_program_answers_404(officer_api, money, component):
    """Another program's component (in scope or not) and an id that names nothing alike."""
    pk = money.other_component.pk if component == "other_component" else 2**31 - 1
    body = {"date": "2024-06-01", "amount": "10.00", "component": pk}
    url = reverse("api:program-disbursements", args=[money.world.program.pk])
    assert officer_api.post(url, body, format="json").status_code == 404
    assert money.world.program.disbursements.count() == 1


def test_a_disbursement_is_answered_with_its_currency(officer_api, money):
    url = reverse("api:program-disbursements", args=[money.world.program.pk])
    body = {"date": "2024-06-01", "amount": "10.00", "component": money.component.pk}
    response = officer_api.post(url, body, format="json")
    assert response.status_code == 201
    assert (response.json()["currency"], response.json()["amount"]) == ("USD", "10.00")


def test_portfolio_endpoint_gives_totals_per_currency(admin_api, money):
    live_program(currency="USD", funder_amount=D("300"), total_amount=D("300"))  # no money out
    body = admin_api.get(reverse("api:program-portfolio")).json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)  # every list's
    rows = {r["currency"]: r for r in body["results"]}
    # USD: funder 100 + 300 = 400, disbursed 50 + 0 = 50, rate 12.5 %
    assert rows["USD"] == {
        "currency": "USD",
        "programs": 2,
        "total_amount": "500.00",
        "funder_amount": "400.00",
        "disbursed": "50.00",
        "disbursement_rate_percent": "12.50",
        "converted": False,  # per currency: nothing converted, no rate used or missing
        "rates_used": [],
        "missing_rates": [],
    }
    # EUR stands apart: 15 / 60 = 25 %
    assert (rows["EUR"]["disbursed"], rows["EUR"]["disbursement_rate_percent"]) == (
        "15.00",
        "25.00",
    )


def test_portfolio_endpoint_takes_the_list_filters(admin_api, money):
    response = admin_api.get(reverse("api:program-portfolio"), {"country": "ec"})
    assert [r["currency"] for r in response.json()["results"]] == ["EUR"]
    response = admin_api.get(reverse("api:program-portfolio"), {"funder": "idb", "year": 2023})
    assert [r["currency"] for r in response.json()["results"]] == ["USD"]
    response = admin_api.get(reverse("api:program-portfolio"), {"year": 2019})
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("api:program-list", {"year": str(2**64)}, "year"),
        ("api:program-portfolio", {"year": "10000"}, "year"),
        ("disbursements", {"component": str(2**64)}, "component"),
    ],
)
def test_a_number_out_of_range_is_a_per_field_error_not_a_crash(
    admin_api, money, url, query, field
):
    if url == "disbursements":
        url = reverse("api:program-disbursements", args=[money.world.program.pk])
    else:
        url = reverse(url)
    response = admin_api.get(url, query)
    assert response.status_code == 400
    assert field in response.json()


def test_disbursements_still_filter_by_component(admin_api, money):
    disburse(money.world.program, "5", on="2024-03-01")  # no component
    url = reverse("api:program-disbursements", args=[money.world.program.pk])
    rows = admin_api.get(url, {"component": money.component.pk}).json()["results"]
    assert [row["amount"] for row in rows] == ["50.00"]


def test_list_filters_and_sorts(admin_api, money):
    url = reverse("api:program-list")
    by_rate = admin_api.get(url, {"sort": "-rate"}).json()["results"]
    assert [r["name"] for r in by_rate] == ["Argentina clusters", "Ecuador clusters"]  # 50 %, 25 %
    eur = admin_api.get(url, {"currency": "EUR"}).json()["results"]
    assert [r["name"] for r in eur] == ["Ecuador clusters"]
    assert admin_api.get(url, {"status": "bogus"}).status_code == 400


def test_list_queries_do_not_grow_with_the_number_of_programs(
    admin_api, money, django_assert_max_num_queries
):
    for n in range(12):
        program = live_program(countries=[money.world.argentina, money.world.ecuador])
        disburse(program, str(n + 1))
    with django_assert_max_num_queries(6):
        response = admin_api.get(reverse("api:program-list"))
    assert response.json()["count"] == 14
    with django_assert_max_num_queries(4):
        admin_api.get(reverse("api:program-portfolio"))


def test_a_program_in_preparation_answers_its_dates_as_null(admin_api, money):
    created = admin_api.post(
        reverse("api:program-list"), {"code": "new", "name": "New", "funder": "IDB"}
    ).json()
    assert (created["approval_date"], created["closing_date"]) == (None, None)
