"""The benchmarks' own database on DATABASE_URL's server: its URL, dropped and created again."""

from urllib.parse import urlsplit, urlunsplit


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


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
