"""Rollup pages (filled in by the rollup pages work)."""

urlpatterns: list = []
