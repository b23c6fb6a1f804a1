"""The database settings from the environment: persistent connections, or Django's pool."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.utils import load_backend

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
        "DATABASE_SQLITE_TIMEOUT",
        "DATABASE_PGBOUNCER",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_behind_pgbouncer_no_server_side_cursor_is_used(environment):
    environment.setenv("DATABASE_URL", POSTGRES_URL)
    assert "DISABLE_SERVER_SIDE_CURSORS" not in default_database(
        env=environ.Env(), url_default=None, conn_max_age=0
    )
    environment.setenv("DATABASE_PGBOUNCER", "true")
    database = default_database(env=environ.Env(), url_default=None, conn_max_age=0)
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True


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


# --- the embedded SQLite -------------------------------------------------------------------


def test_the_embedded_sqlite_queues_writers_instead_of_failing_them(environment, tmp_path):
    database = default_database(
        env=environ.Env(), url_default=f"sqlite:///{tmp_path / 'db.sqlite3'}", conn_max_age=0
    )

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert database["OPTIONS"]["init_command"] == "PRAGMA journal_mode=WAL;"


def test_the_sqlite_timeout_comes_from_the_environment(environment, tmp_path):
    environment.setenv("DATABASE_SQLITE_TIMEOUT", "3")

    database = default_database(
        env=environ.Env(), url_default=f"sqlite:///{tmp_path / 'db.sqlite3'}", conn_max_age=0
    )

    assert database["OPTIONS"]["timeout"] == 3


def _write_at_once(database: dict) -> list[Exception]:
    """Two threads, each on a connection of its own, read the table and then write to it in one
    transaction, both at the same moment: what each write raised."""
    alias = "sqlite-writers"
    settings_dict = connections.configure_settings({"default": database})["default"]
    with closing(sqlite3.connect(settings_dict["NAME"])) as setup:
        setup.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def write(n: int) -> None:
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
            settings_dict, alias
        )
        try:
            start.wait(timeout=10)
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM counter")
                time.sleep(0.5)  # the other writer reads meanwhile
                cursor.execute("INSERT INTO counter (n) VALUES (%s)", [n])
        except Exception as error:  # collected for the test to assert on
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_two_writers_at_once_on_the_embedded_sqlite_both_succeed(
    environment, tmp_path, django_db_blocker
):
    path = tmp_path / "db.sqlite3"
    database = default_database(env=environ.Env(), url_default=f"sqlite:///{path}", conn_max_age=0)
    # The file is in WAL mode before anyone writes, as `migrate` leaves it (its first connection
    # switches it): two connections switching it at the same moment may be refused at once,
    # whatever the busy timeout ("database is locked"), which made this test fail now and then.
    with closing(sqlite3.connect(path)) as first:
        first.execute("PRAGMA journal_mode=WAL")

    with django_db_blocker.unblock():  # a database file of the test's own
        assert _write_at_once(database) == []
    with closing(sqlite3.connect(path)) as db:
        assert sorted(n for (n,) in db.execute("SELECT n FROM counter")) == [1, 2]


def test_without_those_options_one_of_two_writers_at_once_fails_as_the_issue_saw(
    environment, tmp_path, django_db_blocker
):
    database = default_database(
        env=environ.Env(), url_default=f"sqlite:///{tmp_path / 'db.sqlite3'}", conn_max_age=0
    )
    database["OPTIONS"] = {}  # SQLite's own defaults: deferred transactions

    with django_db_blocker.unblock():
        errors = _write_at_once(database)

    assert [str(error) for error in errors] == ["database is locked"]
