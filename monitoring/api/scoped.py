"""What the monitoring lists share: a result cache per scope and day."""

from django.utils import timezone

from accounts.scope_keys import scope_key
from core.api_cache import CachedListMixin


class ScopedListCache(CachedListMixin):
    """Lists cached per scope (accounts.scope_keys), never per user, and per day: a BSO's
    clusters are those it supports today (accounts.scopes), so a scope may change at midnight
    without any write."""

    def list_cache_parts(self, request) -> tuple:
        return (scope_key(request.user), timezone.localdate())
