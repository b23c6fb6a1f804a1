"""API token authentication whose token -> user lookup is served from core.cache.

DRF's TokenAuthentication reads the token and its user from the database on every request:
on a cached list that query is most of the work left. Here the token's user is kept in
core.cache under the data version, like any cached result, so it is read again after any
committed write: a deleted or replaced token, a deactivated user, a changed role or scope
field all move the version, and the next request looks the token up in the database again.

What is kept: the user, without the password hash (deferred: loaded only if asked for, and a
save() then writes only the loaded fields), under a digest of the token, never the token
itself. An unknown token or an inactive user is never cached (DRF's own check raises its own
error, and nothing is stored for an error), so made-up tokens cannot fill the cache.
"""

import hashlib

from django.contrib.auth import get_user_model
from rest_framework.authentication import TokenAuthentication

from core.cache import cached


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, with the token's user read from core.cache."""

    def authenticate_credentials(self, key):
        user = cached(("api-token-user", token_digest(key)), lambda: self._active_user(key))
        # request.auth: the token, as DRF's gives it (built here, not read again)
        return user, self.get_model()(key=key, user=user)

    def _active_user(self, key: str):
        """The token's user (one query; the user alone, without the token it came by)."""
        user = get_user_model().objects.defer("password").filter(auth_token__key=key).first()
        if user is None or not user.is_active:
            # DRF's lookup raises its own (translated) error: 401, and nothing is cached
            return super().authenticate_credentials(key)[0]
        return user
