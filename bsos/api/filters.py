"""Explicit filters for the BSO API."""

import django_filters
from django.db.models import Q

from bsos.models import BSO, ClusterSupport
from core.filters import IntegerFilter


class BSOFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(choices=BSO.Kind.choices)
    cluster = IntegerFilter(method="filter_cluster", label="Cluster id (current support)")
    q = django_filters.CharFilter(method="filter_text", label="Text search")

    class Meta:
        model = BSO
        fields = ["country", "kind"]

    def filter_cluster(self, queryset, name, value):
        supporting = ClusterSupport.objects.current().filter(cluster_id=value)
        return queryset.filter(pk__in=supporting.values("bso_id"))

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(country__name__icontains=value)
        )


class ClusterSupportFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(method="filter_current", label="Current today")

    class Meta:
        model = ClusterSupport
        fields = ["bso", "cluster", "role"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))
