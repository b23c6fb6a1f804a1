"""A data version that moves whenever a write commits, and a cache of results keyed by it.

Pages and API lists that cost many queries and a long render (dashboards, big lists) are kept
in Django's cache under a key that holds a *data version*: any committed write, by any code
path (services, the rollup engine's raw SQL, admin, imports, migrations, a Celery worker),
moves the version, so the next read misses and computes again. Nothing has to remember to
invalidate anything, which is what makes it safe to cache.

How the version moves: every SQL statement sent through Django's connections passes through
`_track` (installed on each new connection by `track_writes()`, called from core's AppConfig).
A statement that may write (anything but SELECT and friends) bumps the version right away in
autocommit mode, or once the transaction commits (`on_commit`) inside an atomic block. Until
then, the writing connection itself reads around the cache (`data_version()` answers None), so
that it sees its own uncommitted rows, as the database does; other connections cannot see
them anyway. Writes at sign-in (the session, the user's last login) move nothing.

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

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

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


def bump(connection=None) -> bool:
    """Move the data version: every result cached before is not read again. False when the
    cache could not be reached (then it is moved as soon as it answers again)."""
    if not reach.available():
        reach.move_first = True
        return False
    key = _version_key(connection)
    try:
        try:
            cache.incr(key)
        except ValueError:  # no version yet (or evicted): start from the clock, never reused
            cache.add(key, time.time_ns(), timeout=None)
            cache.incr(key)
    except Exception:  # a cache that is down must not turn a saved change into an error
        reach.failed("moving the data version")
        return False
    return True


def data_version() -> int | None:
    """The current data version; None while this connection holds uncommitted writes (it
    must read the database itself) or when the cache cannot be reached."""
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "uncommitted_writes", False):
        if connection.in_atomic_block:
            return None
        connection.uncommitted_writes = False  # the transaction ended (rolled back: no bump)
    if not reach.available():
        return None
    if reach.move_first:  # back after a failure: a write may have gone unheard
        if not bump(connection):
            return None
        reach.move_first = False
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
    connection.uncommitted_writes = False
    bump(connection)


def _written(connection) -> None:
    if connection.in_atomic_block:
        connection.uncommitted_writes = True
        hook = connection.__dict__.setdefault("_data_version_hook", lambda: _committed(connection))
        # once per transaction (a rolled-back savepoint drops its hooks: registered again)
        if not any(func is hook for _sids, func, _robust in connection.run_on_commit):
            connection.on_commit(hook, robust=True)
    elif connection.get_autocommit():
        bump(connection)
    else:  # manual transaction management: no on_commit; bump now and read around the cache
        connection.uncommitted_writes = True
        bump(connection)


def _track(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if is_write(sql):
        _written(context["connection"])
    return result


def _install(sender, connection, **kwargs) -> None:
    if _track not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track)


def track_writes() -> None:
    """Watch every statement of every connection from now on (core.apps calls it once)."""
    connection_created.connect(_install, dispatch_uid="core.cache.track_writes")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- Cached results -------------------------------------------------------------------------------


def cached(parts: Iterable, compute: Callable[[], T], *, timeout: int | None = None) -> T:
    """`compute()`'s result, from the cache when the same `parts` were computed at the current
    data version. `parts` must name everything the result depends on besides the data: which
    page or list, whose scope, the language, the query string."""
    version = data_version()
    if version is None:
        return compute()
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    key = f"{_namespace()}:{version}:{digest}"
    try:
        found = cache.get(key, _MISSING)
    except Exception:
        reach.failed("reading a result")
        return compute()
    if found is not _MISSING:
        return found
    value = compute()
    seconds = getattr(settings, "RESULT_CACHE_SECONDS", _DEFAULT_SECONDS)
    try:
        cache.set(key, value, seconds if timeout is None else timeout)
    except Exception:
        reach.failed("keeping a result")
    return value
