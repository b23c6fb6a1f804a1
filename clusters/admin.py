"""Admin for reference data: geography, clusters, steering committees."""

from django.contrib import admin

from clusters import services
from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Country,
    Decision,
    Meeting,
    Region,
    SteeringCommittee,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["countries"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "countries" in form.changed_data:
            services.membership_changed(reason=f"region {form.instance.pk} countries changed")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.membership_changed(reason="region deleted")


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "country",
        "sector",
        "sector_family",
        "lifecycle_stage",
        "status",
    ]
    list_filter = ["status", "sector_family", "cluster_type", "lifecycle_stage", "country"]
    search_fields = ["name", "code", "locality", "sector"]
    list_select_related = ["country"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and services.MEMBERSHIP_FIELDS & set(form.changed_data):
            services.membership_changed(reason=f"cluster {obj.pk} moved or changed status")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.membership_changed(reason="cluster deleted")


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "established_on"]
    search_fields = ["name", "cluster__name"]
    list_select_related = ["cluster"]
    inlines = [CommitteeMemberInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "committee",
        "stakeholder_type",
        "role",
        "sex",
        "since",
        "until",
    ]
    list_filter = ["stakeholder_type", "sex", "role"]
    search_fields = ["name", "organisation", "committee__name"]
    list_select_related = ["committee"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "held_on", "location"]
    list_filter = ["held_on"]
    search_fields = ["committee__name", "minutes"]
    list_select_related = ["committee"]
    inlines = [DecisionInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "owner", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "committee__name"]
    list_select_related = ["committee", "owner"]
