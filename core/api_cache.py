"""API list answers served from core.cache until the data behind them changes."""

from django.utils.translation import get_language
from rest_framework.response import Response

from core.cache import cached


class CachedListMixin:
    """A list viewset whose answers (the page, its count and links) are cached, keyed by the
    view, the request's full URL (filters, page, page size, the host of the links), the format,
    the language and `list_cache_parts()`; core.cache's data version retires them on any
    committed write. The browsable API is never cached (it renders forms for the user)."""

    def list_cache_parts(self, request) -> tuple:
        """What else the answer depends on: the user's scope, for lists that are scoped."""
        return ()

    def list(self, request, *args, **kwargs):
        build = super().list
        if request.accepted_renderer.format == "api":
            return build(request, *args, **kwargs)
        parts = (
            "api-list",
            f"{type(self).__module__}.{type(self).__qualname__}",
            request.build_absolute_uri(),
            request.accepted_renderer.format,
            get_language(),
            *self.list_cache_parts(request),
        )
        return Response(cached(parts, lambda: build(request, *args, **kwargs).data))
