"""Admin of the knowledge exchange: topics are kept here; case studies and visits are written on
their pages (public.exchange.views) and only read here."""

from django.contrib import admin

from public.exchange.models import CaseStudy, ExchangeVisit, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseStudy)
class CaseStudyAdmin(ReadOnly):
    list_display = ["title", "cluster", "published", "created_at"]
    list_filter = ["published"]
    search_fields = ["title", "cluster__name"]
    list_select_related = ["cluster"]


@admin.register(ExchangeVisit)
class ExchangeVisitAdmin(ReadOnly):
    list_display = ["visitor", "host", "starts_on", "published"]
    list_filter = ["published"]
    search_fields = ["visitor__name", "host__name", "purpose"]
    list_select_related = ["visitor", "host"]
