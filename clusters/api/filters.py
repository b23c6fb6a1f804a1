"""Explicit filters for the clusters API (no query string reaches the ORM unchecked)."""

import django_filters
from django.db.models import Q

from clusters.models import (
    ActionItem,
    Cluster,
    ClusterType,
    CommitteeMember,
    LifecycleStage,
    Meeting,
    Region,
    SectorFamily,
)
from core.filters import IntegerFilter


class ClusterFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    region = django_filters.CharFilter(method="filter_region", label="Region code")
    sector_family = django_filters.ChoiceFilter(choices=SectorFamily.choices)
    cluster_type = django_filters.ChoiceFilter(choices=ClusterType.choices)
    lifecycle_stage = django_filters.ChoiceFilter(choices=LifecycleStage.choices)
    status = django_filters.ChoiceFilter(choices=Cluster.Status.choices)
    bso = IntegerFilter(method="filter_bso", label="BSO id (current support)")
    q = django_filters.CharFilter(method="filter_text", label="Text search")

    class Meta:
        model = Cluster
        fields = ["country", "region", "sector_family", "cluster_type", "lifecycle_stage", "status"]

    def filter_region(self, queryset, name, value):
        region_countries = Region.objects.filter(code=value).values("countries")
        return queryset.filter(country__in=region_countries)

    def filter_bso(self, queryset, name, value):
        return queryset.filter(pk__in=Cluster.objects.supported_by(value).values("pk"))

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(locality__icontains=value)
            | Q(sector__icontains=value)
            | Q(country__name__icontains=value)
        )


class CommitteeMemberFilter(django_filters.FilterSet):
    cluster = IntegerFilter(field_name="committee__cluster", label="Cluster id")

    class Meta:
        model = CommitteeMember
        fields = ["committee", "stakeholder_type", "sex", "role"]


class MeetingFilter(django_filters.FilterSet):
    cluster = IntegerFilter(field_name="committee__cluster", label="Cluster id")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["committee"]


class ActionItemFilter(django_filters.FilterSet):
    cluster = IntegerFilter(field_name="committee__cluster", label="Cluster id")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = ActionItem
        fields = ["committee", "status", "owner"]
