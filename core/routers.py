"""Read replicas for the dashboards (DESIGN.md "Runtime"; bench/README.md "Past one machine").

With DATABASE_REPLICA_URL set (a streaming replica of the primary), the pages that only read
domain data and may lag a few seconds behind the primary, the dashboards, run their reads on
the "replica" alias: a view wrapped in `replica_reads` reads the domain apps' tables there.
Everything else stays on "default": every write, every read inside a transaction, and the
tables a request needs fresh whoever serves it (sessions, users, tokens: a user who has just
signed in must not look signed out because the replica lags).

A result computed from the replica is kept in core.cache for settings.REPLICA_RESULT_SECONDS
only, since the replica may not yet hold the write that moved the data version.

Without a replica (the embedded default, CI) nothing changes: the router answers "default".
Raw SQL through `connection.cursor()` is not routed: it runs on the primary unless it asks
`router.db_for_read` for its alias (monitoring.rollups.benchmark does).
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# The apps whose tables a dashboard may read from the replica; nothing of accounts, sessions,
# auth or tokens.
DOMAIN_APPS = frozenset(
    {
        "clusters",
        "firms",
        "bsos",
        "programs",
        "calls",
        "surveys",
        "scorecards",
        "monitoring",
        "plans",
        "public",
        "core",
    }
)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_in_use() -> bool:
    """Whether reads of the current view go to the replica (for core.cache's timeout)."""
    return (
        _replica_reads.get()
        and getattr(settings, "READ_REPLICA", False)
        and REPLICA in connections.databases
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def replica_reads(view: Callable) -> Callable:
    """Run the view's reads of domain tables on the replica (when one is configured)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _replica_reads.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _replica_reads.reset(token)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in DOMAIN_APPS and replica_in_use():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: the same database

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS
