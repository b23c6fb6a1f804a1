"""The benchmarks' own database on DATABASE_URL's server: its URL, dropped and created again."""

import os
from urllib.parse import urlsplit, urlunsplit


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def point_django_at(name: str) -> str:
    """Point this process's Django at the benchmark's database `name` on DATABASE_URL's server
    (PostgreSQL), before django.setup(); returns DATABASE_URL as given (the server's)."""
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not base_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL): see the docstring.")
    os.environ.update(
        DATABASE_URL=database_url(base_url, name),
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    return base_url


def recreate_database(base_url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(base_url)
    # CREATE and DROP DATABASE cannot run inside a transaction, hence autocommit.
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
