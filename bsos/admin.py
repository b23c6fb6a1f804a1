"""Admin for BSOs and their support of clusters."""

from django.contrib import admin

from bsos.models import BSO, ClusterSupport
from core.admin import HistoryAdmin


class ClusterSupportInline(admin.TabularInline):
    model = ClusterSupport
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(BSO)
class BSOAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "code", "city"]
    list_select_related = ["country"]
    inlines = [ClusterSupportInline]


@admin.register(ClusterSupport)
class ClusterSupportAdmin(HistoryAdmin):
    list_display = ["cluster", "bso", "role", "since", "until"]
    list_filter = ["role"]
    search_fields = ["cluster__name", "bso__name"]
    list_select_related = ["cluster", "bso"]
