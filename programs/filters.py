"""The portfolio's filter bar: the API's portfolio filters, with the choices found in scope
(`?currency=` converts the totals, it does not filter programs)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import CaseInsensitiveChoiceFilter, FilterBar
from programs import selectors
from programs.api.filters import PortfolioTotalsFilter
from programs.models import Program, Typology


def _funders(programs):
    return [(funder, funder) for funder in selectors.funders(programs)]


def _countries(programs):
    return selectors.program_countries(programs).values_list("code", "name")


def _years(programs):
    return [(year, str(year)) for year in selectors.approval_years(programs)]


class PortfolioFilter(FilterBar, PortfolioTotalsFilter):
    """Funders, countries and years to choose from are those of the programs in scope (the
    queryset given), so a value outside them is refused as the select would never send it."""

    shown = ("funder", "country", "typology", "status", "year")
    choices_from = {"funder": _funders, "country": _countries, "year": _years}

    funder = CaseInsensitiveChoiceFilter(
        lookup_expr="iexact", label=_("Funder"), empty_label=_("All funders")
    )
    country = CaseInsensitiveChoiceFilter(
        method="filter_country", label=_("Country"), empty_label=_("All countries")
    )
    typology = django_filters.ChoiceFilter(
        choices=Typology.choices, label=_("Typology"), empty_label=_("All typologies")
    )
    status = django_filters.ChoiceFilter(
        choices=Program.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    year = django_filters.ChoiceFilter(
        field_name="approval_date",
        lookup_expr="year",
        label=_("Approval year"),
        empty_label=_("All years"),
    )
