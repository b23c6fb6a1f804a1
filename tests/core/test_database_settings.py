"""The database settings from the environment: persistent connections, or Django's pool."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.database import default_database

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgres://app@db.example.org:5432/clusterboard"


@pytest.fixture
def environment(monkeypatch):
    for name in (
        "DATABASE_URL",
        "DATABASE_CONN_MAX_AGE",
        "DATABASE_POOL",
        "DATABASE_POOL_MAX_SIZE",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_pool_connections_persist_as_long_as_asked(environment):
    environment.setenv("DATABASE_URL", POSTGRES_URL)
    environment.setenv("DATABASE_CONN_MAX_AGE", "30")

    database = default_database(env=environ.Env(), url_default=None, conn_max_age=60)

    assert database["NAME"] == "clusterboard"
    assert database["CONN_MAX_AGE"] == 30
    assert "pool" not in database.get("OPTIONS", {})


def test_database_pool_turns_on_djangos_pool_instead_of_persistent_connections(environment):
    environment.setenv("DATABASE_URL", POSTGRES_URL)
    environment.setenv("DATABASE_CONN_MAX_AGE", "30")
    environment.setenv("DATABASE_POOL", "on")
    environment.setenv("DATABASE_POOL_MAX_SIZE", "8")

    database = default_database(env=environ.Env(), url_default=None, conn_max_age=60)

    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8}
    assert database["CONN_MAX_AGE"] == 0


def test_database_pool_without_postgresql_is_refused(environment):
    environment.setenv("DATABASE_POOL", "on")

    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL needs PostgreSQL"):
        default_database(env=environ.Env(), url_default="sqlite:///x.sqlite3", conn_max_age=0)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the pool needs PostgreSQL: DATABASE_URL is not a postgres:// URL",
)
def test_production_settings_with_database_pool_take_connections_from_the_pool():
    # The session's DATABASE_URL names a database that exists; the query needs no table.
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "for _ in range(2):\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT 1')\n"
        "    connection.close()  # back to the pool\n"
        "print(type(connection.pool).__module__, connection.pool.get_stats()['requests_num'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9zLm2Rt8Vw4Ny6Kb" * 2,
            "DJANGO_ALLOWED_HOSTS": "clusterboard.example.org",
            "DATABASE_POOL": "on",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == ["psycopg_pool.pool", "2"], result.stdout + result.stderr
