"""Every filter that offers a choice of clusters, BSOs, programs or KPIs offers only what is in
the user's scope (accounts.scopes.scope_choices), on the pages and in the API alike.

`ScopedChoices` is mixed into a page's FilterSet (before it); `ScopedFilterBackend` is the API's
filter backend (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]), so that every `filterset_fields`
and `filterset_class` of every endpoint is scoped without each one asking.
"""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django_filters.rest_framework import DjangoFilterBackend

from accounts.scopes import scope_choices

MODEL_CHOICES = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def scope_filterset(filterset: django_filters.FilterSet) -> django_filters.FilterSet:
    """Narrow the choices of the FilterSet's model-choice filters to its request's user."""
    request = filterset.request
    user = getattr(request, "user", None) or AnonymousUser()
    for filter_ in filterset.filters.values():
        if isinstance(filter_, MODEL_CHOICES):
            choices = filter_.get_queryset(request)
            if choices is not None:
                filter_.queryset = scope_choices(choices, user)
                filter_.__dict__.pop("_field", None)  # built again from the narrowed choices
    return filterset


class ScopedChoices:
    """Mixed into a FilterSet (before it): its model choices are the user's scope only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_filterset(self)


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        return None if filterset is None else scope_filterset(filterset)
