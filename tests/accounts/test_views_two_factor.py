"""Two-factor sign-in for administrators, through the sign-in pages and the admin site: the
password alone signs nobody in who needs two factors."""

import io
import re

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.accounts.signin import PASSWORD, enrol, secret_of, secret_on_page, totp
from tests.factories import UserFactory


def sign_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_an_administrator_without_an_authenticator_is_asked_to_set_one_up(world, client):
    response = sign_in(client, "admin")

    assert response.status_code == 302
    assert response.url == reverse("two-factor")
    assert not signed_in(client)  # the password alone signs nobody in


def test_the_enrolment_page_shows_the_secret_its_otpauth_uri_and_a_qr_code(world, client):
    sign_in(client, "admin")

    html = client.get(reverse("two-factor")).content.decode()

    secret = secret_on_page(html)
    uri = re.search(r'href="(otpauth://[^"]+)"', html).group(1)
    assert uri.startswith("otpauth://totp/Clusterboard%3Aadmin?")
    assert f"secret={secret.replace(' ', '')}" in uri
    assert "<svg" in html  # the QR code, drawn on the server


def test_enrolling_with_the_code_from_the_secret_signs_in_and_goes_where_asked(world, client):
    cluster_url = reverse("cluster-detail", args=[world.inside.pk])
    sign_in(client, "admin", next_url=cluster_url)
    secret = secret_on_page(client.get(reverse("two-factor")).content.decode())

    response = client.post(reverse("two-factor"), {"code": totp(secret)})

    assert response.status_code == 302
    assert response.url == cluster_url
    assert signed_in(client)
    assert TOTPDevice.objects.get(user=world.users["admin"]).confirmed


def test_reloading_the_enrolment_page_keeps_the_same_secret(world, client):
    sign_in(client, "admin")
    first = secret_on_page(client.get(reverse("two-factor")).content.decode())

    again = secret_on_page(client.get(reverse("two-factor")).content.decode())

    assert again == first


def test_a_wrong_enrolment_code_enrols_nothing(world, client):
    sign_in(client, "admin")
    secret = secret_on_page(client.get(reverse("two-factor")).content.decode())
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two-factor"), {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not signed_in(client)


def test_an_enrolled_administrator_signs_in_with_password_then_code(world, client):
    device = enrol(world.users["admin"])

    response = sign_in(client, "admin")
    assert response.url == reverse("signin-code")
    assert not signed_in(client)

    response = client.post(reverse("signin-code"), {"code": totp(secret_of(device))})

    assert response.status_code == 302
    assert response.url == reverse("dashboard-home")
    assert signed_in(client)


def test_a_wrong_code_keeps_the_administrator_signed_out(world, client):
    device = enrol(world.users["admin"])
    sign_in(client, "admin")
    wrong = f"{(int(totp(secret_of(device))) + 1) % 1_000_000:06d}"

    response = client.post(reverse("signin-code"), {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not signed_in(client)


def test_a_code_is_accepted_once(world, client):
    device = enrol(world.users["admin"])
    code = totp(secret_of(device))
    sign_in(client, "admin")
    client.post(reverse("signin-code"), {"code": code})
    client.post(reverse("logout"))

    sign_in(client, "admin")
    response = client.post(reverse("signin-code"), {"code": code})

    assert response.status_code == 200
    assert not signed_in(client)


def test_the_code_page_without_a_password_first_leads_to_sign_in(world, client):
    enrol(world.users["admin"])

    response = client.get(reverse("signin-code"))

    assert response.status_code == 302
    assert response.url == reverse("login")


def test_other_roles_sign_in_with_their_password_alone(world, client):
    response = sign_in(client, "bso")

    assert response.url == reverse("dashboard-home")
    assert signed_in(client)


@pytest.mark.parametrize("flags", [{"is_superuser": True}, {"is_staff": True}])
def test_superusers_and_staff_sign_in_with_two_factors_too(db, client, flags):
    user = UserFactory(role="", **flags)

    response = sign_in(client, user.username)

    assert response.url == reverse("two-factor")
    assert not signed_in(client)


def test_the_admin_site_sends_to_the_sign_in_and_back_after_the_code(world, client):
    device = enrol(world.users["admin"])

    response = client.get(reverse("admin:index"), follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("login"))

    response = client.post(login_url, {"username": "admin", "password": PASSWORD})
    assert response.url == reverse("signin-code")
    assert client.get(reverse("admin:index")).status_code == 302  # still not in

    response = client.post(reverse("signin-code"), {"code": totp(secret_of(device))})

    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_refuses_a_signed_in_user_the_admin_site_does_not_let_in(world, client):
    client.force_login(world.users["bso_staff"])

    assert client.get(reverse("admin:login")).status_code == 403


def test_a_session_opened_with_the_password_alone_ends(world, client):
    """A session from before two-factor sign-in: its hash is Django's plain one."""
    admin = world.users["admin"]
    client.force_login(admin)
    session = client.session
    session[HASH_SESSION_KEY] = AbstractBaseUser._get_session_auth_hash(admin)
    session.save()

    assert not signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_user_made_administrator_signs_in_again_with_two_factors(world, client):
    officer = world.users["program_officer"]
    client.force_login(officer)
    assert signed_in(client)

    officer.role = Role.ADMIN
    officer.save()

    assert not signed_in(client)


def test_a_signed_in_administrator_sees_that_two_factor_sign_in_is_on(world, client):
    admin = world.users["admin"]
    enrol(admin)
    client.force_login(admin)

    html = client.get(reverse("two-factor")).content.decode()

    assert 'data-two-factor="on"' in html
    assert "data-secret" not in html  # the secret is shown at enrolment only


def test_the_two_factor_page_is_not_for_other_roles(world, client):
    client.force_login(world.users["bso_staff"])

    assert client.get(reverse("two-factor")).status_code == 404


def test_the_code_step_reads_in_spanish(world, client):
    enrol(world.users["admin"])
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    sign_in(client, "admin")

    html = client.get(reverse("signin-code")).content.decode()

    assert "Inicio de sesión en dos pasos" in html


def test_after_a_reset_the_administrator_sets_up_a_new_authenticator(world, client):
    enrol(world.users["admin"])
    out = io.StringIO()

    call_command("two_factor_reset", "admin", stdout=out)

    assert "1 authenticator(s) removed" in out.getvalue()
    assert sign_in(client, "admin").url == reverse("two-factor")
