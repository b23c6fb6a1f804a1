"""Failed sign-ins lock the account and the address for a while, on the sign-in page, the
admin's login and the token endpoint alike; counted in the cache, never in the database."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from core.cache import is_write
from tests.accounts.signin import PASSWORD, enrol, secret_of, totp


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SIGNIN_ACCOUNT_FAILURES = 5
    settings.SIGNIN_ADDRESS_FAILURES = 20
    settings.SIGNIN_LOCKOUT_MINUTES = 15


def page(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def token(api_client, username, password, **extra):
    return api_client.post(
        reverse("api:api-token"), {"username": username, "password": password}, **extra
    )


def test_five_wrong_passwords_lock_the_account_and_say_until_when(world, client):
    for _ in range(5):
        assert "Please enter a correct username" in page(client, "bso", "wrong").content.decode()

    before = timezone.now()
    response = page(client, "bso", PASSWORD)  # even the right password, while locked

    html = response.content.decode()
    assert "Too many failed attempts. Try again at" in html
    assert "(in 15 minutes)." in html
    lock_ends = {  # the time the lock ends, as the page writes times (to the minute)
        formats.time_format(timezone.localtime(t + datetime.timedelta(minutes=15)), "TIME_FORMAT")
        for t in (before - datetime.timedelta(seconds=2), timezone.now())
    }
    assert any(f"at {when} (in" in html for when in lock_ends)
    assert not response.context["user"].is_authenticated


def test_the_account_is_locked_whatever_the_case_of_the_username(world, client):
    for username in ("bso", "BSO", " Bso", "bSo", "bsO"):
        page(client, username, "wrong")

    assert "Too many failed attempts" in page(client, "bso", PASSWORD).content.decode()


def test_a_success_clears_the_account_s_count(world, client):
    for _ in range(4):
        page(client, "bso", "wrong")
    assert page(client, "bso", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    for _ in range(4):
        page(client, "bso", "wrong")

    assert page(client, "bso", PASSWORD).status_code == 302


def test_a_lock_ends_after_the_lockout_minutes(world, client):
    for _ in range(5):
        page(client, "bso", "wrong")
    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)

    with mock.patch("accounts.signin.throttle.timezone.now", return_value=later):
        response = page(client, "bso", PASSWORD)

    assert response.status_code == 302


def test_a_locked_account_does_not_lock_the_others(world, client):
    for _ in range(5):
        page(client, "bso", "wrong")

    assert page(client, "ministry", PASSWORD).status_code == 302


def test_many_accounts_tried_from_one_address_lock_the_address(world, settings):
    settings.SIGNIN_ADDRESS_FAILURES = 8
    guesser, someone_else = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    for n in range(8):
        page(guesser, f"user-{n}", "wrong")

    assert "Too many failed attempts" in page(guesser, "bso", PASSWORD).content.decode()
    assert page(someone_else, "bso", PASSWORD).status_code == 302


def test_a_failure_writes_nothing_to_the_database(world, client):
    with CaptureQueriesContext(connection) as queries:
        page(client, "bso", "wrong")

    assert [q["sql"] for q in queries.captured_queries if is_write(q["sql"])] == []


def test_the_admin_login_is_locked_the_same_way(world, client):
    login_url = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]
    for _ in range(5):
        page(client, "admin", "wrong", url=login_url)

    response = page(client, "admin", PASSWORD, url=login_url)

    assert "Too many failed attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_token_endpoint_answers_429_with_retry_after_when_locked(world, api_client):
    for _ in range(5):
        assert token(api_client, "bso", "wrong").status_code == 400

    response = token(api_client, "bso", PASSWORD)

    assert response.status_code == 429
    assert "(in 15 minutes)" in response.json()["detail"]
    assert 899 <= int(response["Retry-After"]) <= 900


def test_the_page_and_the_api_count_together(world, client, api_client):
    for _ in range(3):
        page(client, "bso", "wrong")
    for _ in range(2):
        token(api_client, "bso", "wrong")

    assert token(api_client, "bso", PASSWORD).status_code == 429


def test_a_token_success_clears_the_account_s_count(world, api_client):
    for _ in range(4):
        token(api_client, "bso", "wrong")
    assert token(api_client, "bso", PASSWORD).status_code == 200

    for _ in range(4):
        token(api_client, "bso", "wrong")

    assert token(api_client, "bso", PASSWORD).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(world, api_client, settings):
    settings.NUM_PROXIES = 1
    settings.SIGNIN_ADDRESS_FAILURES = 8
    for n in range(8):
        token(api_client, f"user-{n}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")

    locked = token(api_client, "bso", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = token(api_client, "bso", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert (locked.status_code, other.status_code) == (429, 200)


def test_wrong_codes_lock_the_two_factor_step(world, client):
    device = enrol(world.users["admin"])
    right = totp(secret_of(device))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page(client, "admin", PASSWORD)
    # (django-otp's own back-off, a second after a wrong code, is not what this test is about)
    with mock.patch.object(type(device), "get_throttle_factor", return_value=0):
        for _ in range(5):
            client.post(reverse("signin-code"), {"code": wrong})

        response = client.post(reverse("signin-code"), {"code": right})

    assert "Too many failed attempts" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
