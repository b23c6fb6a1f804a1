"""API tokens (accounts.tokens.authentication): where the cache is shared (Redis), the token's
user comes from core.cache until a write commits, so a revoked token, a deactivated user or a
changed role counts on the next request; unknown tokens are never cached, and the cache never
holds a key or a password hash. Without a shared cache, the token is read every time.

These tests commit for real (the cache's data version moves on commit)."""

import pickle
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tokens.authentication import ApiTokenAuthentication
from accounts.tokens.selectors import key_digest
from accounts.tokens.services import token_issue
from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_cache(settings):
    """The cache every process shares (Redis in production): the token's user is cached."""
    settings.API_TOKEN_USER_CACHE = True


@pytest.fixture
def admin():
    return UserFactory(username="api-admin", role=Role.ADMIN)


@pytest.fixture
def issued(admin):
    return token_issue(user=admin)


@pytest.fixture
def token(issued):
    return issued[0]


@pytest.fixture
def key(issued):
    return issued[1]


@pytest.fixture
def client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def me(client) -> int:
    """Any API answer that needs the user: the report list (signed-in users only)."""
    return client.get(reverse("api:report-list")).status_code


def test_a_known_token_is_looked_up_once_until_the_data_changes(
    shared_cache, client, django_assert_num_queries
):
    ClusterFactory()
    assert me(client) == 200

    with django_assert_num_queries(0):  # the user and the (empty) list from the cache
        assert me(client) == 200


def test_without_a_shared_cache_the_token_is_read_on_every_request(
    settings, client, django_assert_num_queries
):
    settings.API_TOKEN_USER_CACHE = False
    ClusterFactory()
    assert me(client) == 200

    with django_assert_num_queries(1):  # the token and its user; the list from the cache
        assert me(client) == 200


@pytest.mark.parametrize("cache_shared", [True, False])
def test_a_deleted_token_is_refused_on_the_next_request(settings, cache_shared, client, token):
    settings.API_TOKEN_USER_CACHE = cache_shared
    assert me(client) == 200

    token.delete()

    assert me(client) == 401


@pytest.mark.parametrize("cache_shared", [True, False])
def test_a_deactivated_user_is_refused_on_the_next_request(settings, cache_shared, client, admin):
    settings.API_TOKEN_USER_CACHE = cache_shared
    assert me(client) == 200

    admin.is_active = False
    admin.save()

    assert me(client) == 401


def test_without_redis_a_deactivation_written_by_another_process_counts_at_once(
    settings, client, admin
):
    """Each process has its own local-memory cache: another process's write does not move this
    one's data version (played here by not moving it). The token must be refused anyway."""
    settings.API_TOKEN_USER_CACHE = False
    assert me(client) == 200
    assert me(client) == 200

    with mock.patch("core.cache.bump"):  # the write happens in another process
        admin.is_active = False
        admin.save()

    assert me(client) == 401


def test_without_redis_a_password_changed_by_another_process_counts_at_once(
    settings, client, admin
):
    settings.API_TOKEN_USER_CACHE = False
    assert me(client) == 200

    with mock.patch("core.cache.bump"):
        admin.set_password("another-pass-word-456")
        admin.save()

    assert me(client) == 401


def test_a_changed_role_counts_on_the_next_request(shared_cache, client, admin, world):
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


def test_an_unknown_token_is_refused_every_time_and_never_cached(shared_cache):
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert me(stranger) == 401
    with CaptureQueriesContext(connection) as queries:
        assert me(stranger) == 401
    assert any("accounts_apitoken" in q["sql"] for q in queries.captured_queries)


def test_the_cache_holds_neither_the_key_nor_the_password_hash(key, admin):
    token = ApiTokenAuthentication()._live_token(key)

    assert token.user == admin
    assert "password" in token.user.get_deferred_fields()
    kept = pickle.dumps(token)
    assert admin.password.encode() not in kept
    assert key.encode() not in kept


def test_the_request_carries_the_token_it_is_signed_with(key, token, admin):
    """request.auth is the token row (DRF's gave the plain key: keys are no longer kept)."""
    user, auth = ApiTokenAuthentication().authenticate_credentials(key)

    assert user == admin
    assert (auth.pk, auth.digest, auth.user) == (token.pk, key_digest(key), admin)
