"""Versions of the data that move whenever a write commits, and a cache of results kept with them.

Pages and API lists that cost many queries and a long render (dashboards, big lists) are kept
in Django's cache with the tables they read and those tables' *versions*: any committed write,
by any code path (services, the rollup engine's raw SQL, admin, imports, migrations, a Celery
worker), moves the versions of the tables it names, so the next read of a result that read one
of them misses and computes again; results that read none of them stay. Nothing has to
remember to invalidate anything, which is what makes it safe to cache.

What a result read: while it is computed, every SELECT it sends names some of the project's
tables (`tables_named`: the model tables among the statement's words); a result computed
inside another adds its tables to the outer one, from the cache or not. What a write moves: the
tables its statement names, or EVERY_TABLE (on which every result depends) when it names none
of them or is not text. A word that only looks like a table costs a miss, never a stale answer.

Settled rows: monitoring's readers of approved values on read (cluster split rows, the rollup
statement when the audit runs it) run inside `settled_reads()`, and the writes of values to
reports still open run inside `unsettled_writes()`; those writes leave the settled readers
cached, so a draft saved in one cluster does not retire every dashboard. Everything else (an
approval, a reopening, the engine writing rollups) moves both versions of its tables.

How the version moves: every SQL statement sent through Django's connections passes through
`_track` (installed on each new connection by `track_writes()`, called from core's AppConfig).
A statement that may write (anything but SELECT and friends) moves the versions right away in
autocommit mode, or once the transaction commits (`on_commit`, the tables of all its writes)
inside an atomic block. Until then, the writing connection itself reads around the cache
(`data_version()` answers None), so that it sees its own uncommitted rows, as the database
does; other connections cannot see them anyway. Writes at sign-in (the session, the user's
last login) move nothing.

Where the version lives: in the cache itself (Redis with REDIS_URL, shared by every process;
the local-memory cache without it, per process: the embedded default runs one process, tasks
in-process). Keys carry the database's name, so that test and bench databases on the same
Redis never share entries. Not seen: a write made outside Django (psql), and a process killed
between its commit and its bump; entries expire after settings.RESULT_CACHE_SECONDS, which
bounds both.

When the cache does not answer: settings give Redis calls a short timeout
(REDIS_TIMEOUT_SECONDS); a call that fails costs that once, then this process goes without the
cache for UNREACHABLE_SECONDS (results computed from the database, as on a miss; writes commit
as usual), and the first thing it does when the cache answers again is move the version: a
write committed while the cache was away (its bump lost) may have left results cached before
it, and those must not be served. A process that saw no failure at all may serve them until
some process moves the version (at most RESULT_CACHE_SECONDS).
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

from core.routers import replica_in_use

log = logging.getLogger(__name__)

T = TypeVar("T")

# Statements that never change data; anything else counts as a write (a statement wrongly
# counted costs one cache miss, a write not counted would show stale numbers).
READ_ONLY_STATEMENTS = frozenset(
    {
        "SELECT",
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "BEGIN",
        "COMMIT",
        "SET",
        "SHOW",
        "EXPLAIN",
        "PRAGMA",
        "VALUES",
        "DECLARE",
        "FETCH",
        "CLOSE",
    }
)
# Tables whose writes change no cached result: the session store is written at every sign-in.
IGNORED_TABLES = frozenset({"django_session"})
# ... and so is the user's last login (django.contrib.auth.models.update_last_login).
_LAST_LOGIN = re.compile(
    r'\s*UPDATE\s+"?\w+"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE\s', re.IGNORECASE
)

_FIRST_WORD = re.compile(r"[\s(]*(\w+)")
_TARGET_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_MISSING = object()
_DEFAULT_SECONDS = 600


def is_write(sql) -> bool:
    """Whether this statement may change data (WITH ... INSERT/UPDATE/DELETE included)."""
    if not isinstance(sql, str):
        return True
    first = _FIRST_WORD.match(sql)
    if first is None:
        return False
    word = first.group(1).upper()
    if word in READ_ONLY_STATEMENTS:
        return False
    if word == "WITH":
        return bool(_WRITE_IN_CTE.search(sql))
    if _LAST_LOGIN.match(sql):
        return False
    target = _TARGET_TABLE.match(sql)
    return not (target and target.group(1).lower() in IGNORED_TABLES)


# --- Reaching the cache ---------------------------------------------------------------------------

# How long a process goes without the cache after a call failed (a hung Redis would otherwise
# cost every call its timeout).
UNREACHABLE_SECONDS = 5.0


class _Reach:
    """Whether this process tries the cache now, and whether the version must move first."""

    def __init__(self):
        self.retry_at = 0.0
        self.move_first = False

    def available(self) -> bool:
        return time.monotonic() >= self.retry_at

    def failed(self, doing: str) -> None:
        self.move_first = True
        self.retry_at = time.monotonic() + UNREACHABLE_SECONDS
        log.warning(
            "cache unreachable (%s): going without it for %s s",
            doing,
            UNREACHABLE_SECONDS,
            exc_info=True,
        )

    def reset(self) -> None:
        self.__init__()


reach = _Reach()


# --- The version ----------------------------------------------------------------------------------


def _namespace(connection=None) -> str:
    """Cache keys of one database (its name: test and bench databases keep to themselves)."""
    settings_dict = (connection or connections[DEFAULT_DB_ALIAS]).settings_dict
    where = f"{settings_dict.get('HOST') or ''}:{settings_dict.get('PORT') or ''}"
    return f"data:{where}/{settings_dict.get('NAME')}"


def _version_key(connection=None) -> str:
    return f"{_namespace(connection)}:version"


def _table_key(namespace: str, table: str) -> str:
    return f"{namespace}:table:{table}"


# A write that names none of the project's tables (or SQL that is not text) moves this one,
# which every cached result depends on.
EVERY_TABLE = "*"
# Each table has a second version, "<table>@settled", that writes inside unsettled_writes() do
# not move; reads inside settled_reads() depend on it instead of the table's own version.
SETTLED = "@settled"
_settled_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("settled", default=False)
_unsettled_writes: contextvars.ContextVar[bool] = contextvars.ContextVar("unsettled", default=False)


@contextlib.contextmanager
def unsettled_writes():
    """Writes that no settled read can see: their rows are filtered out of every statement run
    inside settled_reads(). Monitoring marks so the values saved in reports still open (drafts),
    which readers of approved values never see, so that a draft does not retire the dashboards.
    A write wrongly marked here would leave a stale answer: mark only what the filter excludes."""
    token = _unsettled_writes.set(True)
    try:
        yield
    finally:
        _unsettled_writes.reset(token)


@contextlib.contextmanager
def settled_reads():
    """Reads that see only settled rows (monitoring: values of approved reports): a result
    computed from them is not retired by unsettled_writes()."""
    token = _settled_reads.set(True)
    try:
        yield
    finally:
        _settled_reads.reset(token)


_WORD = re.compile(r"\w+")


@functools.cache
def project_tables() -> frozenset[str]:
    """The database tables of the installed models (many-to-many and history tables too)."""
    return (
        frozenset(
            model._meta.db_table.lower() for model in apps.get_models(include_auto_created=True)
        )
        - IGNORED_TABLES
    )


@functools.cache
def _every_version() -> tuple[str, ...]:
    """The name of every version a result can depend on."""
    return (*project_tables(), *(table + SETTLED for table in project_tables()), EVERY_TABLE)


def tables_named(sql) -> frozenset[str]:
    """The project's tables a statement names (any of its words); EVERY_TABLE when it is not
    text. A word that is a table's name but means something else costs a cache miss, never a
    stale answer."""
    if not isinstance(sql, str):
        return frozenset({EVERY_TABLE})
    return frozenset(_WORD.findall(sql.lower())) & project_tables()


def bump(connection=None, tables: Iterable[str] = (EVERY_TABLE,)) -> bool:
    """Move the data version and the versions of `tables`: every result cached before that read
    one of them is not served again (EVERY_TABLE: no result is). False when the cache could not
    be reached (then every result is retired as soon as it answers again)."""
    if not reach.available():
        reach.move_first = True
        return False
    namespace = _namespace(connection)
    try:
        for key in [_version_key(connection), *(_table_key(namespace, t) for t in tables)]:
            try:
                cache.incr(key)
            except ValueError:  # no version yet (or evicted): start from the clock, never reused
                cache.add(key, time.time_ns(), timeout=None)
                cache.incr(key)
    except Exception:  # a cache that is down must not turn a saved change into an error
        reach.failed("moving the data version")
        return False
    return True


def _usable(connection) -> bool:
    """Whether this connection may read and fill the cache now: not while it holds uncommitted
    writes (it must read its own rows), not while the cache is unreachable; when the cache is
    back after a failure, every result is retired first."""
    if getattr(connection, "uncommitted_writes", False):
        if connection.in_atomic_block:
            return False
        connection.uncommitted_writes = False  # the transaction ended (rolled back: no bump)
        connection.written_tables = set()
    if not reach.available():
        return False
    if reach.move_first:  # back after a failure: a write may have gone unheard
        if not bump(connection):
            return False
        reach.move_first = False
    return True


def data_version() -> int | None:
    """The current data version (it moves at every committed write); None while this
    connection holds uncommitted writes or when the cache cannot be reached."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not _usable(connection):
        return None
    key = _version_key(connection)
    try:
        version = cache.get(key)
        if version is None:
            cache.add(key, time.time_ns(), timeout=None)
            version = cache.get(key)
    except Exception:
        reach.failed("reading the data version")
        return None
    return version


def _committed(connection) -> None:
    tables, connection.written_tables = connection.written_tables, set()
    connection.uncommitted_writes = False
    bump(connection, tables)


def _written(connection, sql) -> None:
    tables = tables_named(sql) or {EVERY_TABLE}
    if not _unsettled_writes.get():
        tables |= {table + SETTLED for table in tables if table != EVERY_TABLE}
    if connection.in_atomic_block:
        connection.uncommitted_writes = True
        connection.__dict__.setdefault("written_tables", set()).update(tables)
        hook = connection.__dict__.setdefault("_data_version_hook", lambda: _committed(connection))
        # once per transaction (a rolled-back savepoint drops its hooks: registered again)
        if not any(func is hook for _sids, func, _robust in connection.run_on_commit):
            connection.on_commit(hook, robust=True)
    elif connection.get_autocommit():
        bump(connection, tables)
    else:  # manual transaction management: no on_commit; bump now and read around the cache
        connection.uncommitted_writes = True
        bump(connection, tables)


# The tables read by the results being computed in this context, innermost last.
_reading: contextvars.ContextVar[tuple[set, ...]] = contextvars.ContextVar("reading", default=())


def _track(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if is_write(sql):
        _written(context["connection"], sql)
    elif _reading.get():
        tables = tables_named(sql)
        if _settled_reads.get():
            tables = {table if table == EVERY_TABLE else table + SETTLED for table in tables}
        _read(tables)
    return result


def _read(tables) -> None:
    for computing in _reading.get():
        computing.update(tables)


def _install(sender, connection, **kwargs) -> None:
    if _track not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track)


def track_writes() -> None:
    """Watch every statement of every connection from now on (core.apps calls it once)."""
    connection_created.connect(_install, dispatch_uid="core.cache.track_writes")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- Cached results -------------------------------------------------------------------------------


def _versions(namespace: str, found: dict, tables: Iterable[str]) -> dict[str, int]:
    """The versions of `tables` among the cache's answer `found`, starting those it lacks."""
    versions = {}
    for table in tables:
        key = _table_key(namespace, table)
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
        versions[table] = found[key]
    return versions


def cached(parts: Iterable, compute: Callable[[], T], *, timeout: int | None = None) -> T:
    """`compute()`'s result, from the cache while no write has committed to a table it read.
    `parts` must name everything the result depends on besides the data: which page or list,
    whose scope, the language, the query string.

    A result is kept with the tables its queries named and their versions when it began; it is
    served while all of them (and EVERY_TABLE) still have those versions. A result computed
    inside another one adds its tables to the outer one, from the cache or not."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not _usable(connection) or not getattr(settings, "RESULT_CACHE", True):
        return compute()
    namespace = _namespace(connection)
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    key = f"{namespace}:result:{digest}"
    every_table = _every_version()
    try:
        found = cache.get_many([key, *(_table_key(namespace, t) for t in every_table)])
        current = _versions(namespace, found, every_table)
    except Exception:
        reach.failed("reading a result")
        return compute()
    if key in found:
        tables, versions, value = found[key]
        if all(current[table] == version for table, version in versions.items()):
            _read(tables)
            return value
    tables = set()
    token = _reading.set((*_reading.get(), tables))
    try:
        value = compute()
    finally:
        _reading.reset(token)
    tables.add(EVERY_TABLE)
    kept = (frozenset(tables), {table: current[table] for table in tables}, value)
    seconds = getattr(settings, "RESULT_CACHE_SECONDS", _DEFAULT_SECONDS)
    if replica_in_use():  # the replica may lag behind the write that moved the version
        seconds = min(seconds, settings.REPLICA_RESULT_SECONDS)
    try:
        cache.set(key, kept, seconds if timeout is None else timeout)
    except Exception:
        reach.failed("keeping a result")
    return value
