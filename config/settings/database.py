"""The databases from the environment: the default's URL, persistent connections or a pool;
and a read replica for the dashboards."""

import environ
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"

# The embedded SQLite serves a small team without "database is locked": a write transaction
# takes the write lock when it begins (IMMEDIATE), so that two writers queue instead of both
# reading and then failing to upgrade their locks (a deadlock SQLite answers at once, whatever
# its timeout); a writer waits for the lock up to DATABASE_SQLITE_TIMEOUT seconds (20); and the
# write-ahead log lets pages read while a write is under way.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}


def default_database(*, env: environ.Env, url_default: str | None, conn_max_age: int) -> dict:
    """DATABASES["default"]: DATABASE_URL (required where url_default is None); with
    DATABASE_POOL on, Django's connection pool (psycopg_pool) instead of persistent ones."""
    database = env.db("DATABASE_URL", default=url_default or environ.Env.NOTSET)
    database["ATOMIC_REQUESTS"] = False
    # A connection the database dropped (restart, failover, idle timeout) is replaced at the
    # start of the next request instead of failing it with a 500.
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == SQLITE:
        options = {**SQLITE_OPTIONS, "timeout": env.int("DATABASE_SQLITE_TIMEOUT", default=20)}
        database["OPTIONS"] = {**options, **database.get("OPTIONS", {})}  # the URL's own win
    if database["ENGINE"] == POSTGRESQL:
        # A database host that does not answer fails a request in seconds, not minutes
        # (`?connect_timeout=` in DATABASE_URL overrides it).
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    if env.bool("DATABASE_PGBOUNCER", default=False):
        # Behind PgBouncer in transaction pooling (docker-compose.yml), a named cursor would
        # outlive the transaction that holds its server connection.
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    if not env.bool("DATABASE_POOL", default=False):
        database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=conn_max_age)
        return database
    if database["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured("DATABASE_POOL needs PostgreSQL: set DATABASE_URL=postgres://")
    # A pooled connection goes back to the pool at the end of each request; Django refuses
    # persistent connections (CONN_MAX_AGE) beside a pool.
    database["CONN_MAX_AGE"] = 0
    database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
    }
    return database


def replica_database(*, env: environ.Env, default: dict) -> dict | None:
    """DATABASES["replica"] from DATABASE_REPLICA_URL, a streaming replica of the default that
    the dashboards read (core.routers); the default's options, the replica's address. None when
    unset. In tests the replica mirrors the test database."""
    url = env.str("DATABASE_REPLICA_URL", default="")
    if not url:
        return None
    replica = {**default, **environ.Env.db_url_config(url)}
    replica["OPTIONS"] = {**default.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    replica["TEST"] = {"MIRROR": "default"}
    return replica
