"""Admin of the firm registry (merging is done on the duplicates page, where it is checked)."""

from django.contrib import admin

from core.admin import HistoryAdmin
from firms.models import Firm, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Firm)
class FirmAdmin(HistoryAdmin):
    list_display = ["name", "tax_id", "country", "locality", "size_class", "women_led"]
    list_filter = ["country", "size_class", "women_led"]
    search_fields = ["name", "tax_id", "locality"]
    list_select_related = ["country"]
    filter_horizontal = ["bsos"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["firm", "cluster", "since", "until"]
    search_fields = ["firm__name", "cluster__name"]
    list_select_related = ["firm", "cluster"]
    autocomplete_fields = ["firm", "cluster"]
