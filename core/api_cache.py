"""API list answers served from core.cache until the data behind them changes.

What is cached is the rendered answer (status, headers, bytes), not the serializer's data, so
a hit costs two cache reads and no serializing or JSON encoding. The key holds the media type
the renderer was chosen for (`application/json; indent=4` renders other bytes than
`application/json`), so every format and indent has its own entry."""

from django.http import HttpResponse
from django.utils.translation import get_language

from core.cache import cached


class CachedListMixin:
    """A list viewset whose answers (the page, its count and links) are cached, keyed by the
    view, the request's full URL (filters, page, page size, the host of the links), the media
    type, the language and `list_cache_parts()`; core.cache's data version retires them on any
    committed write. The browsable API is never cached (it renders forms for the user).

    A viewset that builds its list another way overrides `uncached_list`, not `list`."""

    def list_cache_parts(self, request) -> tuple:
        """What else the answer depends on: the user's scope, for lists that are scoped."""
        return ()

    def uncached_list(self, request, *args, **kwargs):
        """The answer to cache: the viewset's own list."""
        return super().list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "api":
            return self.uncached_list(request, *args, **kwargs)
        parts = (
            "api-list",
            f"{type(self).__module__}.{type(self).__qualname__}",
            request.build_absolute_uri(),
            request.accepted_media_type,
            get_language(),
            *self.list_cache_parts(request),
        )
        status, headers, content = cached(parts, lambda: self._rendered(request, args, kwargs))
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def _rendered(self, request, args, kwargs) -> tuple[int, list, bytes]:
        """Build and render the answer as DRF would (APIView.finalize_response), for keeping."""
        response = self.uncached_list(request, *args, **kwargs)
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        return response.status_code, list(response.items()), response.content
