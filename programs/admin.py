"""Admin for programs and their enrolled clusters."""

from django.contrib import admin

from programs.models import Enrolment, Program


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "funder"]
    search_fields = ["name", "code", "funder"]
    inlines = [EnrolmentInline]
