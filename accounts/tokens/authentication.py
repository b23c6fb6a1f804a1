"""`Authorization: Token <key>` for the API: hashed, expiring tokens (accounts.ApiToken).

A token answers 401 once it has expired, once its user is deactivated or has a new password,
and once it is revoked (deleted). Where the cache is shared by every process (Redis:
settings.API_TOKEN_USER_CACHE), the token and its user are kept in core.cache under the data
version, which every committed write in any process moves (a revoke, a deactivation, a new
password, a changed role or scope), so a repeated request costs no query; the expiry is checked
on every request. Without a shared cache each process would keep its own copy, blind to the
writes of the others: there the token is read from the database every time (one query).

What is cached: the token (its digest, never the key) and its user without the password hash
(dropped once the token was checked against it: loaded again only if asked for, and a save()
then writes only the loaded fields). An unknown or dead token is never cached (the lookup
raises, and nothing is stored for an error), so made-up tokens cannot fill the cache.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.tokens.selectors import key_digest, token_for_key
from core.cache import cached

# A cached token lives at most this long even if a data-version move was lost (a process
# killed between its commit and the move): a lost revoke still counts within a minute.
CACHED_SECONDS = 60


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header (`Token <key>`), checked against accounts.ApiToken."""

    model = ApiToken

    def authenticate_credentials(self, key):
        if settings.API_TOKEN_USER_CACHE:
            token = cached(
                ("api-token", key_digest(key)),
                lambda: self._live_token(key),
                timeout=CACHED_SECONDS,
            )
        else:
            token = self._live_token(key)
        if token.expires_at <= timezone.now():  # a cached token may expire while cached
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        # request.auth is the token, so that a client can revoke the one it signs with
        return token.user, token

    def _live_token(self, key: str) -> ApiToken:
        """The key's live token with its user, the password hash dropped (one query)."""
        token = token_for_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        # The hash was needed to check the token, not afterwards: dropped from the instance,
        # Django treats the field as deferred (neither cached nor written back by a save()).
        token.user.__dict__.pop("password", None)
        return token
