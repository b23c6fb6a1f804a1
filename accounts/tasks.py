"""Celery tasks of accounts (scheduled in config/settings/base.py)."""

from celery import shared_task


@shared_task
def purge_expired_api_tokens() -> int:
    """Delete expired API tokens (idempotent)."""
    from accounts.tokens.services import tokens_purge_expired

    return tokens_purge_expired()
