"""Every role against the program endpoints, reading and writing (DESIGN.md "Who may do what").

Reading: BSO staff see the programs enrolling clusters they support, program officers their
own, ministries the programs in their country, regional bodies those in their region's
countries, admins all; an out-of-scope program answers 404. Writing (programs, transitions,
disbursements): program officers on their own programs and administrators; other roles 403,
anonymous 401.
"""

import pytest
from django.urls import reverse

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
WRITERS = {"program_officer", "admin"}


def login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


def urls(program):
    return {
        "detail": reverse("api:program-detail", args=[program.pk]),
        "disbursements": reverse("api:program-disbursements", args=[program.pk]),
        "transition": reverse("api:program-transition", args=[program.pk]),
        "iati": reverse("api:program-iati", args=[program.pk]),
    }


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["api:program-list", "api:program-portfolio", "api:program-detail"]
)
def test_programs_need_a_signed_in_user(api_client, money, name):
    args = [money.world.program.pk] if name.endswith("detail") else []
    assert api_client.get(reverse(name, args=args)).status_code == 401
    assert api_client.get(urls(money.world.program)["disbursements"]).status_code == 401
    assert api_client.get(urls(money.world.program)["iati"]).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_program_list_holds_only_the_users_scope(api_client, money, role):
    world = money.world
    client = login(api_client, world, role)
    ids = {row["id"] for row in client.get(reverse("api:program-list")).json()["results"]}
    expected = {world.program.pk, world.other_program.pk} if role == "admin" else {world.program.pk}
    assert ids == expected


@pytest.mark.parametrize("role", ROLES)
def test_program_outside_the_scope_answers_404(api_client, money, role):
    world = money.world
    client = login(api_client, world, role)
    expected = 200 if role == "admin" else 404
    for url in urls(world.program).values():
        if not url.endswith("transition/"):
            assert client.get(url).status_code == 200, url
    for name, url in urls(world.other_program).items():
        if name != "transition":
            assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_disbursement_lists_hold_the_programs_own_rows(api_client, money, role):
    client = login(api_client, money.world, role)
    rows = client.get(urls(money.world.program)["disbursements"]).json()["results"]
    assert [row["id"] for row in rows] == [money.disbursement.pk]


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_totals_cover_only_the_users_scope(api_client, money, role):
    client = login(api_client, money.world, role)
    rows = client.get(reverse("api:program-portfolio")).json()["results"]
    currencies = {row["currency"] for row in rows}
    assert currencies == ({"EUR", "USD"} if role == "admin" else {"USD"})


# --- writing -------------------------------------------------------------------------------


def new_program(code="pe-clusters"):
    return {
        "code": code,
        "name": "Peru clusters",
        "funder": "CAF",
        "countries": ["AR"],
        "currency": "USD",
        "total_amount": "1000.00",
        "funder_amount": "800.00",
    }


def new_disbursement():
    return {"date": "2024-06-01", "amount": "10.00"}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_program_officers_and_admins_write_programs_in_scope(api_client, money, role):
    world = money.world
    client = login(api_client, world, role)
    own = urls(world.program)
    create = client.post(reverse("api:program-list"), new_program(), format="json")
    update = client.patch(own["detail"], {"name": "Renamed"}, format="json")
    disburse = client.post(own["disbursements"], new_disbursement(), format="json")
    move = client.post(own["transition"], {"status": "closed"}, format="json")
    statuses = (create.status_code, update.status_code, disburse.status_code, move.status_code)
    if role is None:
        assert statuses == (401, 401, 401, 401)
    elif role in WRITERS:
        assert statuses == (201, 200, 201, 200), [r.json() for r in (create, update, disburse)]
    else:
        assert statuses == (403, 403, 403, 403)


@pytest.mark.parametrize("role", sorted(WRITERS - {"admin"}))
def test_writers_cannot_touch_programs_outside_their_scope(api_client, money, role):
    world = money.world
    client = login(api_client, world, role)
    other = urls(world.other_program)
    update = client.patch(other["detail"], {"name": "Mine now"}, format="json")
    disburse = client.post(other["disbursements"], new_disbursement(), format="json")
    move = client.post(other["transition"], {"status": "closed"}, format="json")
    assert (update.status_code, disburse.status_code, move.status_code) == (404, 404, 404)
    world.other_program.refresh_from_db()
    assert (world.other_program.name, world.other_program.status) == (
        "Ecuador clusters",
        "in_execution",
    )
    assert world.other_program.disbursements.count() == 1


def test_an_officer_looks_after_the_program_they_create(api_client, money):
    world = money.world
    client = login(api_client, world, "program_officer")
    created = client.post(reverse("api:program-list"), new_program(), format="json").json()
    detail = client.get(reverse("api:program-detail", args=[created["id"]]))
    assert detail.status_code == 200
    assert world.users["program_officer"].programs.filter(pk=created["id"]).exists()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_nobody_deletes_a_program_through_the_api(api_client, money, role):
    client = login(api_client, money.world, role)
    response = client.delete(urls(money.world.program)["detail"])
    assert response.status_code in {None: (401,)}.get(role, (403, 405))
    assert type(money.world.program).objects.filter(pk=money.world.program.pk).exists()
