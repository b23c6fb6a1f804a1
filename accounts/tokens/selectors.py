"""Reads of API tokens: a key's live token, and the live tokens of a user."""

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken, User


def key_digest(key: str) -> str:
    """What the database keeps of a key (and the only form in which it is ever looked up)."""
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the user's password hash changes; reveals nothing the hash does not."""
    return hashlib.sha256(user.password.encode()).hexdigest()


def token_is_live(token: ApiToken) -> bool:
    """Not expired, its user active, and issued under the user's current password (the token
    must carry its user with the password hash loaded)."""
    user = token.user
    return (
        token.expires_at > timezone.now()
        and user.is_active
        and token.password_fingerprint == password_fingerprint(user)
    )


def token_for_key(*, key: str) -> ApiToken | None:
    """The live token of this key, with its user (one query), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=key_digest(key), expires_at__gt=timezone.now())
        .first()
    )
    return token if token is not None and token_is_live(token) else None


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's live tokens, newest first (expired ones, and ones issued under an earlier
    password, are dead and left out)."""
    return ApiToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), password_fingerprint=password_fingerprint(user)
    )
