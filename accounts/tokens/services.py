"""Writes of API tokens: issue, revoke, purge."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.tokens.selectors import key_digest, password_fingerprint


@transaction.atomic
def token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for the user and its key (the key is not kept: show it now or never)."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        digest=key_digest(key),
        prefix=key[:8],
        password_fingerprint=password_fingerprint(user),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """The token stops working at once (in every process: the delete moves the data version)."""
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Every token of the user stops working; how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def tokens_purge_expired() -> int:
    """Delete the expired tokens (they already refuse every request); how many."""
    deleted, _ = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
