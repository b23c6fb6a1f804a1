"""Signing in leads each role to its dashboard; role dashboards answer 404 to other roles."""

import pytest
from django.urls import reverse

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("ministry", lambda w: reverse("dashboard-country", args=[w.argentina.pk])),
        ("regional", lambda w: reverse("dashboard-region", args=[w.southern_cone.pk])),
        ("admin", lambda w: reverse("dashboard-admin")),
        ("bso_staff", lambda w: reverse("dashboard-bso")),
        ("program_officer", lambda w: reverse("dashboard-officer")),
    ],
)
def test_home_sends_each_role_to_its_dashboard(world, client, role, expected):
    client.force_login(world.users[role])

    response = client.get(reverse("dashboard-home"))

    assert response.status_code == 302
    assert response.url == expected(world)
    assert client.get(response.url).status_code == 200


def test_signing_in_lands_on_the_home_that_redirects_by_role(world, client):
    response = client.post(reverse("login"), {"username": "ministry", "password": PASSWORD})

    assert response.url == reverse("dashboard-home")


def test_anonymous_visitors_are_asked_to_sign_in(db, client):
    response = client.get(reverse("dashboard-home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("dashboard-admin", {"admin"}),
        ("dashboard-bso", {"admin", "bso_staff"}),
        ("dashboard-officer", {"admin", "program_officer"}),
    ],
)
def test_a_role_dashboard_is_not_found_for_other_roles(world, client, page, allowed):
    for role, user in world.users.items():
        client.force_login(user)
        expected = 200 if role in allowed else 404
        assert client.get(reverse(page)).status_code == expected, role
