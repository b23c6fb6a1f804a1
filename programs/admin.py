"""Admin for programs and their enrolled clusters."""

from django.contrib import admin

from core.admin import MarksRollupsStaleAdmin
from core.staleness import mark_stale
from programs.models import Enrolment, Program


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Program)
class ProgramAdmin(MarksRollupsStaleAdmin):
    list_display = ["name", "code", "funder"]
    search_fields = ["name", "code", "funder"]
    inlines = [EnrolmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Enrolment and formset.has_changed():
            # program totals count the clusters enrolled during each period (rule 3)
            mark_stale(reason=f"program {form.instance.pk} enrolments changed")
