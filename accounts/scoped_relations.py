"""Writes that name another object (a cluster, a KPI, a program...) may name only what the user
may read, and an id they may not read answers 404, like one that names nothing.

A 400 "object does not exist" beside a different answer for an object outside the scope would
tell a client which ids exist, so both answer the same 404 as a read of either would. The
querysets come from accounts.scopes, the one place that says what a user may see.

- API: `ScopedRelationsMixin` on a serializer limits its relations' querysets and turns "does
  not exist" on those relations into 404.
- Pages: `refuse_unknown_choices(form, names)` does the same for a form's choice fields (the
  choices the form offers are the scoped querysets).
"""

from collections.abc import Callable, Iterable

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from accounts.scopes import scope_firms, scope_programs, scope_queryset

# How a relation is scoped: the path from its model to the cluster ("pk" for clusters
# themselves, "committee__cluster"...), or a function of (queryset, serializer) for rows scoped
# otherwise (below).
Scope = str | Callable[[QuerySet, serializers.Serializer], QuerySet]


def kpis_in_scope(queryset: QuerySet, serializer: serializers.Serializer) -> QuerySet:
    """Core KPIs (shared by everyone) and the own KPIs of the clusters in scope."""
    return scope_queryset(queryset, _user(serializer), shared_when_null=True)


def programs_in_scope(queryset: QuerySet, serializer: serializers.Serializer) -> QuerySet:
    return scope_programs(queryset, _user(serializer))


def components_in_scope(queryset: QuerySet, serializer: serializers.Serializer) -> QuerySet:
    """Components of the programs in scope."""
    return scope_programs(queryset, _user(serializer), program_field="program")


def firms_in_scope(queryset: QuerySet, serializer: serializers.Serializer) -> QuerySet:
    """Firms of the registry that are or were members of a cluster in scope."""
    return scope_firms(queryset, _user(serializer))


def _user(serializer: serializers.Serializer):
    return serializer.context["request"].user


class ScopedRelationsMixin:
    """Limit writable relations to the user's scope; an id they do not hold answers 404."""

    scoped_relations: dict[str, Scope] = {}  # field name -> how its rows are scoped

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator, a serializer used only to render
            return
        for name, scope in self.scoped_relations.items():
            field = self.fields[name]
            target = field.child_relation if hasattr(field, "child_relation") else field
            if target.queryset is None:
                continue
            if callable(scope):
                target.queryset = scope(target.queryset, self)
            else:
                target.queryset = scope_queryset(target.queryset, request.user, cluster_field=scope)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            codes = error.get_codes()
            if isinstance(codes, dict) and any(
                _names_nothing(codes.get(name)) for name in self.scoped_relations
            ):
                raise NotFound from None
            raise


def _names_nothing(codes) -> bool:
    """Whether a field's error codes (nested for a list of ids) say an id names no row."""
    if isinstance(codes, str):
        return codes == "does_not_exist"
    if isinstance(codes, dict):
        return any(_names_nothing(c) for c in codes.values())
    if isinstance(codes, list | tuple):
        return any(_names_nothing(c) for c in codes)
    return False


def refuse_unknown_choices(form: forms.Form, names: Iterable[str]) -> None:
    """Raise Http404 when one of these choice fields (offering the rows in scope) was sent an id
    it does not offer: outside the scope or naming nothing, the page answers as a read would."""
    if form.is_bound and not form.is_valid():
        errors = form.errors.as_data()
        for name in names:
            if any(error.code == "invalid_choice" for error in errors.get(name, [])):
                raise Http404
