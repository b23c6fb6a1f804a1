"""API pagination (its own module: DRF imports it while building its generic views)."""

from rest_framework import pagination


class DefaultPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
