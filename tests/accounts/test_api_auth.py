"""Token and session authentication for the API; no HTTP Basic."""

import base64

from django.urls import reverse


def test_token_endpoint_returns_a_token_that_authenticates(api_client, world):
    response = api_client.post(
        reverse("api:api-token"), {"username": "bso", "password": "pass-word-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(reverse("api:committee-list")).json()["count"] == 1


def test_wrong_password_gets_a_json_error(api_client, world):
    response = api_client.post(
        reverse("api:api-token"), {"username": "bso", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_missing_fields_are_reported_per_field(api_client, world):
    response = api_client.post(reverse("api:api-token"), {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_http_basic_credentials_are_not_accepted(api_client, world):
    basic = base64.b64encode(b"bso:pass-word-123").decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    assert api_client.get(reverse("api:committee-list")).status_code == 401


def test_session_login_authenticates_the_api(client, world):
    assert client.login(username="ministry", password="pass-word-123")
    assert client.get(reverse("api:committee-list")).json()["count"] == 1
