"""Explicit filters of the firm registry's API (the list page's filter bar extends them)."""

import django_filters
from django.db.models import Q

from core.filters import IntegerFilter
from firms.models import Firm, Membership, SizeClass


class FirmFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Name, tax id, locality or sector")
    country = django_filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    cluster = IntegerFilter(method="filter_cluster", label="Cluster id (member today)")
    bso = IntegerFilter(field_name="bsos", label="BSO id (serving the firm)")
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices)
    women_led = django_filters.BooleanFilter()

    class Meta:
        model = Firm
        fields = ["country", "size_class", "women_led"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(tax_id__icontains=value)
            | Q(locality__icontains=value)
            | Q(sector__icontains=value)
        )

    def filter_cluster(self, queryset, name, value):
        members = Membership.objects.current().filter(cluster_id=value)
        return queryset.filter(pk__in=members.values("firm_id"))


class MembershipFilter(django_filters.FilterSet):
    firm = IntegerFilter(field_name="firm_id")
    cluster = IntegerFilter(field_name="cluster_id")
    current = django_filters.BooleanFilter(method="filter_current", label="Current today")

    class Meta:
        model = Membership
        fields = ["firm", "cluster"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))
