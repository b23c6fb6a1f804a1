"""Failed sign-in attempts counted in the cache, per account and per address, and the locks
they lead to. Nothing is written to the database at a failure.

A password failure counts against the account (the username as typed, case and spaces aside,
known or not: a lock says nothing about whether an account exists) and against the client's
address. SIGNIN_ACCOUNT_FAILURES failures of an account within SIGNIN_LOCKOUT_MINUTES lock it
for SIGNIN_LOCKOUT_MINUTES; SIGNIN_ADDRESS_FAILURES failures from an address lock the address.
While locked, no password is even checked. A success clears the account's count (not the
address's: a guesser must not reset it by signing in to an account of their own). Codes of
the two-factor step count per user, with the account limit.

Requests of the "forgot your password?" form are counted the same way, each request (not
only a failure) against the e-mail address typed and against the client's address, with
limits of their own (PASSWORD_RESET_ACCOUNT_REQUESTS, PASSWORD_RESET_ADDRESS_REQUESTS): a form
that sends e-mail must not let anyone flood an inbox or the mail server.

The counters live in the cache named by settings.SIGNIN_CACHE: with Redis one count for every
process; with the local-memory cache each process counts for itself (README).
"""

import datetime
import hashlib
import ipaddress
import math

from django.conf import settings
from django.core.cache import caches
from django.utils import formats, timezone
from django.utils.translation import ngettext


class SignInLocked(Exception):
    """Too many failures: no attempt is looked at before `until`."""

    def __init__(self, until: datetime.datetime):
        super().__init__(until)
        self.until = until

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def message(self) -> str:
        minutes = math.ceil(self.seconds / 60)
        at = formats.time_format(timezone.localtime(self.until), "TIME_FORMAT")
        return self.text(minutes) % {"minutes": minutes, "time": at}

    def text(self, minutes: int) -> str:
        return ngettext(
            "Too many failed attempts. Try again at %(time)s (in %(minutes)d minute).",
            "Too many failed attempts. Try again at %(time)s (in %(minutes)d minutes).",
            minutes,
        )


class ResetLocked(SignInLocked):
    """Too many password-reset requests for an e-mail address or from a client address."""

    def text(self, minutes: int) -> str:
        return ngettext(
            "Too many requests for a new password. Try again at %(time)s (in %(minutes)d minute).",
            "Too many requests for a new password. Try again at %(time)s (in %(minutes)d minutes).",
            minutes,
        )


def client_address(request) -> str:
    """The client's address: the connection's, or the one settings.NUM_PROXIES trusted
    proxies put in X-Forwarded-For. An IPv6 address stands for its /64 (one subscriber's)."""
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.NUM_PROXIES and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(settings.NUM_PROXIES, len(hops))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(kind: str, who: str) -> str:
    return f"signin:{kind}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"


def _account(username: str) -> str:
    return _key("account", username.strip().casefold())


def _address(address: str) -> str:
    return _key("address", address)


def _code(user_id: int) -> str:
    return _key("code", str(user_id))


def _window() -> int:
    return settings.SIGNIN_LOCKOUT_MINUTES * 60


def _locked_until(*keys: str) -> datetime.datetime | None:
    found = caches[settings.SIGNIN_CACHE].get_many([f"{key}:lock" for key in keys])
    now = timezone.now().timestamp()
    until = max((t for t in found.values() if t > now), default=None)
    return None if until is None else datetime.datetime.fromtimestamp(until, tz=datetime.UTC)


def _fail(key: str, limit: int) -> None:
    """One more failure; at the limit, lock and start counting afresh."""
    cache = caches[settings.SIGNIN_CACHE]
    cache.add(f"{key}:count", 0, timeout=_window())
    try:
        count = cache.incr(f"{key}:count")
    except ValueError:  # the count expired between the two calls
        cache.add(f"{key}:count", 1, timeout=_window())
        count = 1
    if count >= limit:
        until = timezone.now().timestamp() + _window()
        cache.set(f"{key}:lock", until, timeout=_window())
        cache.delete(f"{key}:count")


def _clear(key: str) -> None:
    caches[settings.SIGNIN_CACHE].delete_many([f"{key}:count", f"{key}:lock"])


def password_check_allowed(*, username: str, address: str) -> None:
    """Raise SignInLocked while the account or the address is locked."""
    until = _locked_until(_account(username), _address(address))
    if until is not None:
        raise SignInLocked(until)


def password_failed(*, username: str, address: str) -> None:
    _fail(_account(username), settings.SIGNIN_ACCOUNT_FAILURES)
    _fail(_address(address), settings.SIGNIN_ADDRESS_FAILURES)


def password_succeeded(*, username: str) -> None:
    _clear(_account(username))


def code_check_allowed(*, user_id: int) -> None:
    """Raise SignInLocked while the user's two-factor codes are locked."""
    until = _locked_until(_code(user_id))
    if until is not None:
        raise SignInLocked(until)


def code_failed(*, user_id: int) -> None:
    _fail(_code(user_id), settings.SIGNIN_ACCOUNT_FAILURES)


def code_succeeded(*, user_id: int) -> None:
    _clear(_code(user_id))


def _reset_account(email: str) -> str:
    return _key("reset-account", email.strip().casefold())


def _reset_address(address: str) -> str:
    return _key("reset-address", address)


def password_reset_request(*, email: str, address: str) -> None:
    """Count one request for a new password; raise ResetLocked, and count nothing, while the
    e-mail address (known or not) or the client's address is locked."""
    account, client = _reset_account(email), _reset_address(address)
    until = _locked_until(account, client)
    if until is not None:
        raise ResetLocked(until)
    _fail(account, settings.PASSWORD_RESET_ACCOUNT_REQUESTS)
    _fail(client, settings.PASSWORD_RESET_ADDRESS_REQUESTS)
