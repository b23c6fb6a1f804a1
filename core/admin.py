"""Admin helpers shared by every app."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from core.staleness import mark_stale


class HistoryAdmin(SimpleHistoryAdmin):
    """An audited model's admin: its history pages read-only, and any id they are given
    answered with the page or a 404, never a 500.

    Django routes `<id>/change/history/` to the history view with the id "<id>/change"
    (its pattern is `<path:object_id>/history/`); Django's own view turns an id the primary
    key cannot hold into "not found", simple_history's filtered on it and raised. Reverting
    to an old version would write the row past the services (their rules, the revision
    check, the stale rollups), so the version pages only show.
    """

    def history_view(self, request, object_id, extra_context=None):
        self._require_valid_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._require_valid_id(object_id)
        history_model = self.model.history.model
        self._require_valid_id(version_id, pk=history_model._meta.pk)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def _require_valid_id(self, value, *, pk=None) -> None:
        pk = pk or self.model._meta.pk
        try:
            pk.to_python(admin.utils.unquote(value))
        except ValidationError:
            raise Http404 from None


class MarksRollupsStaleAdmin(admin.ModelAdmin):
    """For models the rollups depend on: any save or delete in the admin marks them stale.

    Coarse (every KPI and period) but never wrong; the services mark precisely.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        mark_stale(reason=f"admin changed {obj._meta.label} {obj.pk}")

    def delete_model(self, request, obj):
        label = obj._meta.label
        super().delete_model(request, obj)
        mark_stale(reason=f"admin deleted a {label}")

    def delete_queryset(self, request, queryset):
        label = queryset.model._meta.label
        super().delete_queryset(request, queryset)
        mark_stale(reason=f"admin deleted {label} rows")
