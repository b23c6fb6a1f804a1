"""The profile page (role and scope, read-only) and the administrators' user pages: create a
user, set role and anchor, deactivate (which ends the user's API tokens)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, User
from accounts.tokens.services import token_issue
from tests.accounts.signin import PASSWORD
from tests.factories import UserFactory


def test_my_profile_shows_my_role_and_the_clusters_of_my_scope(world, client):
    client.force_login(world.users["bso_staff"])

    html = client.get(reverse("account")).content.decode()

    assert "BSO staff" in html
    assert world.bso.name in html
    assert world.inside.name in html
    assert world.outside.name not in html
    assert "<form" not in html.split('class="narrow card profile"')[1].split("account-links")[0]


def test_a_program_officers_profile_names_their_programs(world, client):
    client.force_login(world.users["program_officer"])

    html = client.get(reverse("account")).content.decode()

    assert world.program.name in html
    assert world.other_program.name not in html


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_only_administrators_find_the_user_pages(world, client, role):
    client.force_login(world.users[role])

    assert client.get(reverse("user-list")).status_code == 404
    assert client.get(reverse("user-new")).status_code == 404
    assert client.get(reverse("user-edit", args=[world.users["admin"].pk])).status_code == 404
    assert client.post(reverse("user-edit", args=[world.users[role].pk]), {}).status_code == 404


def test_the_header_links_administrators_to_the_users(world, client):
    client.force_login(world.users["admin"])

    assert f'href="{reverse("user-list")}"' in client.get(reverse("directory")).content.decode()


def test_the_user_list_costs_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(30):
        UserFactory(username=f"officer{n}", role=Role.PROGRAM_OFFICER, programs=[world.program])
        UserFactory(username=f"staff{n}", role=Role.BSO_STAFF, bso=world.bso)
    client.force_login(world.users["admin"])

    with django_assert_max_num_queries(8):
        html = client.get(reverse("user-list")).content.decode()

    assert "officer29" in html and world.program.name in html


def test_an_administrator_creates_a_ministry_user_who_then_signs_in(world, client):
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("user-new"),
        {
            "username": "analyst",
            "email": "analyst@example.org",
            "role": Role.MINISTRY,
            "country": world.argentina.pk,
            "bso": world.bso.pk,  # not the role's anchor: cleared
            "password1": "a-long-first-pass",
            "password2": "a-long-first-pass",
        },
    )

    assert response.status_code == 302
    analyst = User.objects.get(username="analyst")
    assert (analyst.role, analyst.country, analyst.bso) == (Role.MINISTRY, world.argentina, None)
    assert client.login(username="analyst", password="a-long-first-pass")


def test_a_role_without_its_anchor_is_refused_beside_the_field_and_keeps_what_was_typed(
    world, client
):
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("user-new"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "Ana",
            "role": Role.BSO_STAFF,
            "password1": "a-long-first-pass",
            "password2": "a-long-first-pass",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not User.objects.filter(username="newcomer").exists()
    assert 'href="#id_bso"' in html and 'id="id_bso_error"' in html
    assert 'value="newcomer"' in html and 'value="Ana"' in html


def test_an_administrator_moves_an_officer_to_another_program(world, client):
    officer = world.users["program_officer"]
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("user-edit", args=[officer.pk]),
        {
            "email": officer.email,
            "role": Role.PROGRAM_OFFICER,
            "programs": [world.other_program.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(officer.programs.all()) == [world.other_program]


def test_deactivating_a_user_ends_their_api_tokens_at_once(world, client):
    staff = world.users["bso_staff"]
    _token, key = token_issue(user=staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:committee-list")).status_code == 200
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("user-edit", args=[staff.pk]),
        {"email": staff.email, "role": Role.BSO_STAFF, "bso": world.bso.pk},  # no is_active
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    assert not ApiToken.objects.filter(user=staff).exists()
    assert api.get(reverse("api:committee-list")).status_code == 401
    assert not client.login(username="bso", password=PASSWORD)


def test_an_administrator_cannot_deactivate_themselves(world, client):
    admin = world.users["admin"]
    client.force_login(admin)

    response = client.post(
        reverse("user-edit", args=[admin.pk]), {"email": admin.email, "role": Role.ADMIN}
    )

    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivating_in_the_django_admin_goes_through_the_same_service(world, client):
    staff = world.users["bso_staff"]
    token_issue(user=staff)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:accounts_user_change", args=[staff.pk])

    response = client.post(
        url,
        {
            "username": staff.username,
            "email": staff.email,
            "role": Role.BSO_STAFF,
            "bso": world.bso.pk,
            "country": world.argentina.pk,  # cleared by the service: not a BSO staff anchor
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert not staff.is_active and staff.country is None
    assert not ApiToken.objects.filter(user=staff).exists()


def test_the_django_admin_refuses_an_administrator_deactivating_themselves_with_a_form_error(
    world, client
):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.post(
        reverse("admin:accounts_user_change", args=[root.pk]),
        {
            "username": "root",
            "email": root.email,
            "role": Role.ADMIN,
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    root.refresh_from_db()
    assert root.is_active


def test_adding_a_user_in_the_django_admin_still_works(world, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "password1": "a-long-first-pass",
            "password2": "a-long-first-pass",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:1500]
    assert User.objects.get(username="added").check_password("a-long-first-pass")
