"""Admin of calls for proposals (states, scores and selections move through calls.services)."""

from django.contrib import admin

from calls.models import Application, Call, Criterion


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "deadline", "state"]
    list_filter = ["state"]
    search_fields = ["title"]
    list_select_related = ["program"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call", "bso", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["call", "bso", "cluster"]
