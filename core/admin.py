"""Admin helpers shared by every app."""

from django.contrib import admin

from core.staleness import mark_stale


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
