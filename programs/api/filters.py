"""Filters of the program portfolio, shared by the page, its exports and the API."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IntegerFilter
from programs.models import Disbursement, Enrolment, Program, Typology


class ProgramFilter(django_filters.FilterSet):
    """Every filter selects whole programs (by primary key where a relation is crossed), so a
    filtered queryset never repeats a program and totals computed from it stay right."""

    funder = django_filters.CharFilter(lookup_expr="iexact", label=_("Funder"))
    country = django_filters.CharFilter(method="filter_country", label=_("Country (ISO code)"))
    typology = django_filters.ChoiceFilter(choices=Typology.choices, label=_("Typology"))
    status = django_filters.ChoiceFilter(choices=Program.Status.choices, label=_("Status"))
    year = IntegerFilter(
        field_name="approval_date",
        lookup_expr="year",
        min_value=datetime.MINYEAR,
        max_value=datetime.MAXYEAR,
        label=_("Approval year"),
    )
    currency = django_filters.CharFilter(lookup_expr="iexact", label=_("Currency"))
    q = django_filters.CharFilter(method="filter_text", label=_("Text search"))
    # the portfolio table's sortable columns (the aliases come from selectors.portfolio_rows)
    sort = django_filters.OrderingFilter(
        fields=(
            ("country_order", "country"),
            ("name", "program"),
            ("approval_date", "approval"),
            ("currency", "currency"),
            ("total_amount", "total"),
            ("funder_amount", "funder"),
            ("disbursed", "disbursed"),
            ("rate_order", "rate"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Program
        fields = ["funder", "country", "typology", "status", "year", "currency"]

    def filter_country(self, queryset, name, value):
        declared = Program.countries.through.objects.filter(country__code__iexact=value)
        return queryset.filter(pk__in=declared.values("program_id"))

    def filter_text(self, queryset, name, value):
        matching = Program.objects.filter(name__icontains=value) | Program.objects.filter(
            code__icontains=value
        )
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # a stable order under any sort: ties (same amount, no country) by name, then id
        return queryset.order_by(*queryset.query.order_by, "name", "pk")


class PortfolioTotalsFilter(ProgramFilter):
    """The portfolio totals' filters: the programs' ones, except that `currency` there names the
    currency the totals are converted to (programs.api.views.ProgramViewSet.portfolio)."""

    currency = None

    class Meta(ProgramFilter.Meta):
        fields = [f for f in ProgramFilter.Meta.fields if f != "currency"]


class DisbursementFilter(django_filters.FilterSet):
    after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    component = IntegerFilter(field_name="component_id")

    class Meta:
        model = Disbursement
        fields = ["after", "before", "component"]


class EnrolmentFilter(django_filters.FilterSet):
    program = IntegerFilter(field_name="program_id")
    cluster = IntegerFilter(field_name="cluster_id")

    class Meta:
        model = Enrolment
        fields = ["program", "cluster"]
