"""API pagination: every list answers the same envelope (its own module: DRF imports it while
building its generic views).

    {"count": 123 | null, "next": url | null, "previous": url | null, "results": [...]}

A client follows `next` until it is null, whatever the list. Small lists are paged by number
(`?page=`, `?page_size=`) and count their rows. Lists that grow large (rollups, activities) are
paged by an opaque `?cursor=` (`?page_size=` too): a page-number COUNT(*) would cost tens of
milliseconds on them, so their `count` is null. Never build a cursor: take it from a link.
"""

import base64
import binascii

from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

COUNT_DESCRIPTION = "Rows in the whole list; null on cursor-paged lists, which do not count."


def _envelope_schema(schema: dict, *, page_param: str, counted: bool) -> dict:
    link = {"type": "string", "nullable": True, "format": "uri"}
    later, earlier = ("4", "2") if counted else ("cD00ODY", "cj0xJnA9NDg3")
    count = {"type": "integer", "description": COUNT_DESCRIPTION}
    if counted:
        count["example"] = 123
    else:
        count["nullable"] = True
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": count,
            "next": {**link, "example": f"https://example.org/api/v1/rows/?{page_param}={later}"},
            "previous": {
                **link,
                "example": f"https://example.org/api/v1/rows/?{page_param}={earlier}",
            },
            "results": schema,
        },
    }


def _envelope(*, count: int | None, next_link, previous_link, results) -> Response:
    return Response(
        {"count": count, "next": next_link, "previous": previous_link, "results": results}
    )


class DefaultPagination(pagination.PageNumberPagination):
    """Pages by number, counted: the default of every list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        return _envelope(
            count=self.page.paginator.count,
            next_link=self.get_next_link(),
            previous_link=self.get_previous_link(),
            results=data,
        )

    def get_paginated_response_schema(self, schema):
        return _envelope_schema(schema, page_param=self.page_query_param, counted=True)


class CursorPages(pagination.CursorPagination):
    """Cursor pages of a large table (subclasses set `ordering`): no COUNT(*), `count` null."""

    page_size_query_param = "page_size"

    def get_paginated_response(self, data):
        return _envelope(
            count=None,
            next_link=self.get_next_link(),
            previous_link=self.get_previous_link(),
            results=data,
        )

    def get_paginated_response_schema(self, schema):
        return _envelope_schema(schema, page_param=self.cursor_query_param, counted=False)


class ListCursorPages(pagination.BasePagination):
    """Cursor pages of rows computed in memory (a list, not a queryset), for a list that is
    otherwise paged by CursorPages: the same `?cursor=` and envelope, so a client cannot tell.
    The cursor is opaque (it holds the position in the list)."""

    cursor_query_param = "cursor"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    invalid_cursor_message = pagination.CursorPagination.invalid_cursor_message  # DRF's words

    def paginate_queryset(self, queryset, request, view=None):
        rows = list(queryset)
        self.base_url = request.build_absolute_uri()
        self.offset = self._decode(request.query_params.get(self.cursor_query_param))
        self.size = self._size(request)
        self.has_next = len(rows) > self.offset + self.size
        return rows[self.offset : self.offset + self.size]

    def _size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size)

    def _decode(self, raw: str | None) -> int:
        if not raw:
            return 0
        try:
            offset = int(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode())
        except (ValueError, binascii.Error, UnicodeDecodeError) as error:
            raise NotFound(self.invalid_cursor_message) from error
        if offset < 0:
            raise NotFound(self.invalid_cursor_message)
        return offset

    def _link(self, offset: int) -> str:
        if offset <= 0:
            return remove_query_param(self.base_url, self.cursor_query_param)
        cursor = base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return _envelope(
            count=None,
            next_link=self._link(self.offset + self.size) if self.has_next else None,
            previous_link=self._link(self.offset - self.size) if self.offset > 0 else None,
            results=data,
        )

    def get_paginated_response_schema(self, schema):
        return _envelope_schema(schema, page_param=self.cursor_query_param, counted=False)
