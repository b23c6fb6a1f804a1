"""Report pages (filled in by the pages work)."""

urlpatterns: list = []
