"""The firm list's filter bar: the API's FilterSet, with choices from the user's scope."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.filters import ScopedChoices
from clusters.models import Cluster
from core.filters import CaseInsensitiveChoiceFilter, FilterBar
from firms.api.filters import FirmFilter
from firms.models import SizeClass


def _countries(rows):
    return rows.order_by().values_list("country__code", "country__name").distinct()


class FirmListFilter(FilterBar, ScopedChoices, FirmFilter):
    shown = ("q", "country", "cluster", "size_class", "women_led")
    choices_from = {"country": _countries}

    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        widget=forms.SearchInput(attrs={"placeholder": _("Name, tax id, locality or sector")}),
    )
    country = CaseInsensitiveChoiceFilter(
        field_name="country__code", label=_("Country"), empty_label=_("All countries")
    )
    cluster = django_filters.ModelChoiceFilter(
        method="filter_cluster_choice",
        label=_("Member of"),
        empty_label=_("Any cluster"),
        queryset=lambda request: Cluster.objects.order_by("name"),
    )
    size_class = django_filters.ChoiceFilter(
        choices=SizeClass.choices, label=_("Size class"), empty_label=_("All sizes")
    )
    women_led = django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_women_led",
        label=_("Women-led"),
        empty_label=_("Either"),
    )

    def filter_cluster_choice(self, queryset, name, value):
        return self.filter_cluster(queryset, name, value.pk)

    def filter_women_led(self, queryset, name, value):
        return queryset.filter(women_led=value == "true")
