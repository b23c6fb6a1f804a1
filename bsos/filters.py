"""The directory's filter bars: the API's FilterSets, given choices to pick from and page labels."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bsos.api.filters import BSOFilter
from bsos.models import BSO
from clusters.api.filters import ClusterFilter
from clusters.models import Cluster, ClusterType, Country, LifecycleStage, Region, SectorFamily
from core.filters import CaseInsensitiveChoiceFilter, FilterBar


def _search(placeholder) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="filter_text",
        label=_("Search"),
        widget=forms.SearchInput(attrs={"placeholder": placeholder}),
    )


def _country() -> CaseInsensitiveChoiceFilter:
    return CaseInsensitiveChoiceFilter(
        field_name="country__code", label=_("Country"), empty_label=_("All countries")
    )


# The directory is public: its choices are every country, region, BSO and cluster.
def _countries(_rows):
    return Country.objects.values_list("code", "name")


def _regions(_rows):
    return Region.objects.values_list("code", "name")


def _bsos(_rows):
    return BSO.objects.order_by("name").values_list("pk", "name")


def _clusters(_rows):
    return Cluster.objects.order_by("name").values_list("pk", "name")


class DirectoryClusterFilter(FilterBar, ClusterFilter):
    shown = ("q", "country", "region", "sector_family", "cluster_type", "lifecycle_stage", "bso")
    choices_from = {"country": _countries, "region": _regions, "bso": _bsos}

    q = _search(_("Name, locality, sector or country"))
    country = _country()
    region = django_filters.ChoiceFilter(
        method="filter_region", label=_("Region"), empty_label=_("All regions")
    )
    sector_family = django_filters.ChoiceFilter(
        choices=SectorFamily.choices, label=_("Sector family"), empty_label=_("All sector families")
    )
    cluster_type = django_filters.ChoiceFilter(
        choices=ClusterType.choices, label=_("Cluster type"), empty_label=_("All types")
    )
    lifecycle_stage = django_filters.ChoiceFilter(
        choices=LifecycleStage.choices, label=_("Life-cycle stage"), empty_label=_("All stages")
    )
    status = django_filters.ChoiceFilter(
        choices=Cluster.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    bso = django_filters.ChoiceFilter(
        method="filter_bso", label=_("Supported by"), empty_label=_("Any BSO")
    )


class DirectoryBSOFilter(FilterBar, BSOFilter):
    shown = ("q", "country", "kind")
    choices_from = {"country": _countries, "cluster": _clusters}

    q = _search(_("Name, city or country"))
    country = _country()
    kind = django_filters.ChoiceFilter(
        choices=BSO.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    cluster = django_filters.ChoiceFilter(
        method="filter_cluster", label=_("Supports"), empty_label=_("Any cluster")
    )
