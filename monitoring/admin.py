"""Admin for reports: read-mostly, with the review trail and each value's history."""

from django.contrib import admin

from core.admin import HistoryAdmin
from monitoring.models import (
    Activity,
    ActivityAttachment,
    Comment,
    Measurement,
    Report,
    ReportTransition,
)


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """State changes go through the review pages and API, which record who and why."""

    list_display = ["cluster", "period", "state", "updated_at"]
    list_filter = ["state", "period"]
    search_fields = ["cluster__name"]
    list_select_related = ["cluster", "period"]
    readonly_fields = ["cluster", "period", "scorecard", "state"]
    inlines = [TransitionInline]


@admin.register(Measurement)
class MeasurementAdmin(HistoryAdmin):
    """Values are entered on the report page; here they can be inspected with their history."""

    list_display = ["report", "kpi", "value", "numerator", "denominator", "revision", "updated_at"]
    list_filter = ["report__state", "report__period"]
    search_fields = ["report__cluster__name", "kpi__code"]
    list_select_related = ["report__cluster", "report__period", "kpi"]
    readonly_fields = [
        "report",
        "kpi",
        "value",
        "numerator",
        "denominator",
        "value_women",
        "value_men",
        "note",
        "revision",
        "updated_by",
    ]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are written in the value's thread (report page, API), which checks the scope and
    notifies; here they can be read, or removed by an administrator."""

    list_display = ["measurement", "author", "created_at", "transition"]
    list_filter = ["measurement__report__state"]
    search_fields = ["text", "measurement__report__cluster__name", "measurement__kpi__code"]
    list_select_related = [
        "measurement__report__cluster",
        "measurement__report__period",
        "measurement__kpi",
        "author",
    ]
    readonly_fields = ["measurement", "author", "text", "transition", "created_at"]

    def has_add_permission(self, request):
        return False


# --- Activity log ------------------------------------------------------------------------------


class AttachmentInline(admin.TabularInline):
    """Files are listed here; they are uploaded on the activity page (type and size checks)."""

    model = ActivityAttachment
    extra = 0
    fields = ["original_name", "extension", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(HistoryAdmin):
    """For corrections by administrators; BSO staff log activities on the pages and the API,
    which check the scope and the BSO."""

    list_display = ["date", "title", "type", "cluster", "bso", "women", "men", "currency"]
    list_filter = ["type", "date", "cluster"]
    search_fields = ["title", "cluster__name", "bso__name"]
    list_select_related = ["cluster", "bso"]
    date_hierarchy = "date"
    raw_id_fields = ["action_item"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline]
