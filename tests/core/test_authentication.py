"""API tokens (core.authentication): the token's user comes from core.cache until a write
commits, so a revoked token, a deactivated user or a changed role counts on the next request;
unknown tokens are never cached, and the cache never holds a token or a password hash.

These tests commit for real (the cache's data version moves on commit)."""

import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from core.authentication import CachedTokenAuthentication
from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin():
    return UserFactory(username="api-admin", role=Role.ADMIN)


@pytest.fixture
def token(admin):
    return Token.objects.create(user=admin)


@pytest.fixture
def client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def me(client) -> int:
    """Any API answer that needs the user: the report list (signed-in users only)."""
    return client.get(reverse("api:report-list")).status_code


def test_a_known_token_is_looked_up_once_until_the_data_changes(client, django_assert_num_queries):
    ClusterFactory()
    assert me(client) == 200

    with django_assert_num_queries(0):  # the user and the (empty) list from the cache
        assert me(client) == 200


def test_a_deleted_token_is_refused_on_the_next_request(client, token):
    assert me(client) == 200

    token.delete()

    assert me(client) == 401


def test_a_deactivated_user_is_refused_on_the_next_request(client, admin):
    assert me(client) == 200

    admin.is_active = False
    admin.save()

    assert me(client) == 401


def test_a_changed_role_counts_on_the_next_request(client, admin, world):
    """The cached user follows the write: an administrator made BSO staff sees the BSO's
    clusters' committees only, at once."""

    def committees() -> set[int]:
        return {c["id"] for c in client.get(reverse("api:committee-list")).json()["results"]}

    inside, outside = (world.committees[n].committee.pk for n in ("inside", "outside"))
    assert committees() == {inside, outside}
    assert committees() == {inside, outside}

    admin.role, admin.bso = Role.BSO_STAFF, world.bso
    admin.save()

    assert committees() == {inside}


def test_an_unknown_token_is_refused_every_time_and_never_cached():
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert me(stranger) == 401
    with CaptureQueriesContext(connection) as queries:
        assert me(stranger) == 401
    assert any("authtoken_token" in q["sql"] for q in queries.captured_queries)


def test_the_cache_holds_neither_the_token_nor_the_password_hash(token, admin):
    user = CachedTokenAuthentication()._active_user(token.key)

    assert user == admin
    assert "password" in user.get_deferred_fields()
    kept = pickle.dumps(user)
    assert admin.password.encode() not in kept
    assert token.key.encode() not in kept


def test_the_request_carries_the_token_as_drf_s_does(token, admin):
    user, auth = CachedTokenAuthentication().authenticate_credentials(token.key)

    assert user == admin
    assert (auth.key, auth.user) == (token.key, admin)
