"""Admin of competitiveness plans, read only: every change goes through the pages and the API
(plans.services)."""

from django.contrib import admin

from plans.models import Plan, PlanAction


class ReadOnly:
    """Plans change through plans.services only (an approved version is frozen there)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanActionInline(ReadOnly, admin.TabularInline):
    model = PlanAction
    extra = 0
    fields = ["title", "owner", "starts_on", "ends_on", "currency", "status"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "cluster", "version", "state", "approved_at"]
    list_filter = ["state"]
    search_fields = ["title", "cluster__name"]
    list_select_related = ["cluster"]
    readonly_fields = ["version", "previous", "state", "decision", "approved_at"]
    inlines = [PlanActionInline]


@admin.register(PlanAction)
class PlanActionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "plan", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["plan"]
    filter_horizontal = ["kpis"]
