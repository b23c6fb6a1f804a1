"""/health/: statuses of the database, cache and broker, and the oldest stale marker's age,
for anyone (a load balancer), by IP address, over plain HTTP; 503 without the database."""

import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone

from core.models import RollupStale

pytestmark = pytest.mark.django_db


def test_a_healthy_site_answers_200_with_statuses_only(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "in-process",  # no REDIS_URL in unit tests: tasks run in the web process
        "oldest_stale_seconds": None,
    }
    assert not response.cookies  # no session, no CSRF cookie


def test_the_age_of_the_oldest_stale_marker_is_given(client):
    RollupStale.objects.create(reason="approved")
    old = RollupStale.objects.create(reason="approved")
    RollupStale.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    age = client.get("/health/").json()["oldest_stale_seconds"]

    assert 600 <= age < 660


def test_it_answers_whatever_the_host_and_without_redirecting_to_https(client, settings):
    # A load balancer or a container healthcheck asks by address, over plain HTTP.
    settings.ALLOWED_HOSTS = ["clusterboard.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/directory/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_without_the_database_it_answers_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("core.health.connection.cursor", refuse)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
    assert "refused" not in response.content.decode()  # statuses only, no error text


def test_without_the_cache_it_answers_200_degraded(client, settings):
    # A Redis nobody listens on (port 1): the site works without its cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "unavailable"
