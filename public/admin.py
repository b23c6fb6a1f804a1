from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from public.models import AreaPublication, Publication


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    """Read here; switched on and off from the cluster's publication page (public.services)."""

    list_display = ["cluster", "published", "decision", "changed_by", "updated_at"]
    list_filter = ["published"]
    search_fields = ["cluster__name", "cluster__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AreaPublication)
class AreaPublicationAdmin(SimpleHistoryAdmin):
    """Read here; switched on and off by the ministry or regional body (public.areas)."""

    list_display = ["__str__", "published", "changed_by", "updated_at"]
    list_filter = ["published"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The knowledge exchange's admin, in its own sub-package.
from public.exchange import admin as exchange_admin  # noqa: E402, F401
