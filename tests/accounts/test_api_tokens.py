"""API tokens through the API: each sign-in a new token, kept hashed, expiring, dying with a
new password, revocable by their owner; administrators send a code too."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens.services import token_issue
from tests.accounts.signin import PASSWORD, enrol, secret_of, totp


def sign_in(username, password=PASSWORD, **more):
    return APIClient().post(
        reverse("api:api-token"), {"username": username, "password": password, **more}
    )


def client_with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key) -> bool:
    status = client_with(key).get(reverse("api:committee-list")).status_code
    assert status in (200, 401)
    return status == 200


def test_signing_in_again_issues_a_new_token_and_both_work(world):
    first, second = (sign_in("bso").json()["token"] for _ in range(2))

    assert first != second
    assert works(first) and works(second)


def test_a_token_is_kept_as_a_digest_not_as_its_key(world):
    key = sign_in("bso").json()["token"]

    token = ApiToken.objects.get(user=world.users["bso_staff"])
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    assert key not in stored
    assert key.startswith(token.prefix)


def test_a_token_expires_after_the_configured_days(world, settings):
    settings.API_TOKEN_DAYS = 7
    response = sign_in("bso").json()

    expires = datetime.datetime.fromisoformat(response["expires_at"])
    assert abs(expires - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(
        minutes=1
    )


@pytest.mark.parametrize("cache_shared", [True, False])
def test_an_expired_token_is_refused(world, settings, cache_shared):
    settings.API_TOKEN_USER_CACHE = cache_shared
    key = sign_in("bso").json()["token"]
    assert works(key)

    now = timezone.now()
    ApiToken.objects.update(
        created_at=now - datetime.timedelta(days=31), expires_at=now - datetime.timedelta(seconds=1)
    )

    assert not works(key)


def test_a_password_change_on_the_page_ends_the_tokens(world, client):
    key = sign_in("bso").json()["token"]
    client.force_login(world.users["bso_staff"])

    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-phrase",
            "new_password2": "a-new-long-pass-phrase",
        },
    )

    assert not works(key)
    assert works(sign_in("bso", "a-new-long-pass-phrase").json()["token"])


def test_delete_revokes_the_token_the_request_is_signed_with(world):
    key, other = (sign_in("bso").json()["token"] for _ in range(2))

    response = client_with(key).delete(reverse("api:api-token"))

    assert response.status_code == 204
    assert not works(key)
    assert works(other)


def test_delete_without_a_token_says_so(world, api_client):
    api_client.force_authenticate(world.users["bso_staff"])

    response = api_client.delete(reverse("api:api-token"))

    assert response.status_code == 400


def test_delete_needs_a_signed_in_request(db, api_client):
    assert api_client.delete(reverse("api:api-token")).status_code == 401


def test_a_stale_token_header_does_not_stop_a_sign_in(world):
    client = client_with("0" * 40)

    response = client.post(
        reverse("api:api-token"), {"username": "bso", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200


def test_my_tokens_are_listed_and_the_one_in_use_is_marked(world):
    mine, current = (sign_in("bso").json()["token"] for _ in range(2))
    sign_in("ministry")

    rows = client_with(current).get(reverse("api:apitoken-list")).json()["results"]

    assert [(row["prefix"], row["current"]) for row in rows] == [
        (current[:8], True),
        (mine[:8], False),
    ]


def test_i_revoke_one_of_my_tokens_by_its_id(world):
    key, other = (sign_in("bso").json()["token"] for _ in range(2))
    other_id = ApiToken.objects.get(prefix=other[:8]).pk

    response = client_with(key).delete(reverse("api:apitoken-detail", args=[other_id]))

    assert response.status_code == 204
    assert not works(other)
    assert works(key)


def test_someone_else_s_token_is_not_found(world):
    key = sign_in("bso").json()["token"]
    theirs, _key = token_issue(user=world.users["ministry"])

    response = client_with(key).delete(reverse("api:apitoken-detail", args=[theirs.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_an_administrator_without_an_authenticator_gets_no_token(world):
    response = sign_in("admin")

    assert response.status_code == 400
    assert "Set up two-factor sign-in" in response.json()["code"][0]
    assert not ApiToken.objects.exists()


def test_an_administrator_sends_the_code_too(world):
    device = enrol(world.users["admin"])

    code = totp(secret_of(device))

    without = sign_in("admin")
    right = sign_in("admin", code=code)
    wrong = sign_in("admin", code=f"{(int(code) + 1) % 1_000_000:06d}")

    assert (without.status_code, wrong.status_code, right.status_code) == (400, 400, 200)
    assert set(without.json()) == {"code"}
    assert works(right.json()["token"])


def test_the_schema_describes_the_token_endpoints(db, client):
    paths = client.get(reverse("schema"), {"format": "json"}).json()["paths"]

    sign_in_op = paths["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(sign_in_op["responses"])
    body = sign_in_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/TokenSignInRequest")
    assert "204" in paths["/api/v1/auth/token/"]["delete"]["responses"]
    assert set(paths["/api/v1/auth/tokens/"]) == {"get"}
    assert set(paths["/api/v1/auth/tokens/{id}/"]) == {"delete"}


def test_the_daily_purge_deletes_expired_tokens_only(world):
    from accounts.tasks import purge_expired_api_tokens

    old, _key = token_issue(user=world.users["bso_staff"])
    live, _key = token_issue(user=world.users["bso_staff"])
    now = timezone.now()
    ApiToken.objects.filter(pk=old.pk).update(
        created_at=now - datetime.timedelta(days=40), expires_at=now - datetime.timedelta(days=10)
    )

    assert purge_expired_api_tokens.delay().get() == 1
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live.pk]
