"""Changing one's password and choosing a new one from an e-mailed link, with the project's
pages, linked from the header (the account page) and the sign-in page."""

import re

from django.core import mail
from django.urls import reverse

from tests.accounts.signin import PASSWORD

NEW = "a-new-long-pass-phrase"


def test_the_header_leads_to_the_account_page_and_on_to_the_password_change(world, client):
    client.force_login(world.users["bso_staff"])

    header = client.get(reverse("directory")).content.decode()
    account = client.get(reverse("account")).content.decode()

    assert f'href="{reverse("account")}"' in header
    assert f'href="{reverse("password_change")}"' in account
    assert f'href="{reverse("api-tokens")}"' in account


def test_changing_my_password(world, client):
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200  # this session goes on
    world.users["bso_staff"].refresh_from_db()
    assert world.users["bso_staff"].check_password(NEW)


def test_a_wrong_old_password_changes_nothing(world, client):
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    world.users["bso_staff"].refresh_from_db()
    assert world.users["bso_staff"].check_password(PASSWORD)


def test_the_sign_in_page_links_to_the_forgotten_password_page(db, client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in html


def test_a_forgotten_password_is_replaced_through_the_e_mailed_link(world, client):
    client.post(reverse("password_reset"), {"email": world.users["bso_staff"].email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.users["bso_staff"].email]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert client.post(reverse("login"), {"username": "bso", "password": NEW}).status_code == 302


def test_an_unknown_address_sends_nothing_and_says_the_same(world, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_no_longer_works(world, client):
    client.post(reverse("password_reset"), {"email": world.users["bso_staff"].email})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    html = client.get(link, follow=True).content.decode()

    assert "data-invalid-link" in html


def test_a_new_password_from_the_link_lifts_a_lock(world, client, settings):
    for _ in range(settings.SIGNIN_ACCOUNT_FAILURES):
        client.post(reverse("login"), {"username": "bso", "password": "wrong"})
    client.post(reverse("password_reset"), {"email": world.users["bso_staff"].email})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    assert client.post(reverse("login"), {"username": "bso", "password": NEW}).status_code == 302


def test_the_password_pages_read_in_spanish(world, client):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    html = client.get(reverse("password_reset")).content.decode()

    assert "¿Olvidó su contraseña?" in html


def test_the_reset_form_refuses_after_too_many_requests_for_one_address(world, client, settings):
    email = world.users["bso_staff"].email
    for _ in range(settings.PASSWORD_RESET_ACCOUNT_REQUESTS):
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302

    response = client.post(reverse("password_reset"), {"email": email.upper()})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests for a new password" in response.content.decode()
    assert f'value="{email.upper()}"' in response.content.decode()  # what was typed stays
    assert len(mail.outbox) == settings.PASSWORD_RESET_ACCOUNT_REQUESTS


def test_the_reset_form_refuses_one_client_asking_for_many_addresses(world, client, settings):
    for n in range(settings.PASSWORD_RESET_ADDRESS_REQUESTS):
        client.post(reverse("password_reset"), {"email": f"someone{n}@example.org"})

    response = client.post(reverse("password_reset"), {"email": world.users["bso_staff"].email})
    other = client.post(
        reverse("password_reset"), {"email": "late@example.org"}, REMOTE_ADDR="192.0.2.9"
    )

    assert response.status_code == 429
    assert mail.outbox == []
    assert other.status_code == 302  # another client address is not locked


def test_a_form_error_is_summarised_at_the_top_and_tied_to_its_field(world, client):
    client.force_login(world.users["bso_staff"])

    html = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    ).content.decode()

    summary = html.index("data-error-summary")
    assert summary < html.index('name="old_password"')
    assert 'href="#id_old_password"' in html
    assert 'id="id_old_password_error"' in html
    assert 'aria-describedby="id_old_password_error"' in html
    assert 'id="id_new_password1_helptext"' in html
    assert 'aria-describedby="id_new_password1_helptext"' in html
