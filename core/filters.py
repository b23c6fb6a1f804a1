"""Filters that say no to a bad value (never a database error), and the filter bar of list pages."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.fields import ChoiceField

# The largest id a bigint column holds: a larger number names no row, and SQLite cannot bind it.
BIGINT_MAX = 2**63 - 1


class IntegerFilter(django_filters.NumberFilter):
    """A whole number between bounds (an id by default); a value outside them is the form's error,
    answered as such, where an unchecked one overflowed in the database (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 1, max_value: int = BIGINT_MAX, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)

    def get_max_validator(self):
        return None  # the field's own max_value bounds it


class _CaseInsensitiveChoiceField(ChoiceField):
    """Takes `ar` for the choice `AR`, as the API's iexact filters do, and shows it selected."""

    def _known(self, value):
        folded = str(value).casefold()
        for key, _label in self.choices:
            if key != "" and str(key).casefold() == folded:
                return str(key)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return self._known(value) if value else value

    def prepare_value(self, value):
        return self._known(value) if value else value


class CaseInsensitiveChoiceFilter(django_filters.ChoiceFilter):
    field_class = _CaseInsensitiveChoiceField


class FilterBar:
    """Mixed into a page's FilterSet (before it): the filters the bar always shows (`shown`), and
    the FilterSet's other filters only when the query sets them, so that a value no control offers
    is still applied, or refused, where the user sees it. Ordering filters ride along hidden (the
    table's headings set them).

    `choices_from` maps a filter to a function of the FilterSet's queryset (the rows in scope)
    giving its (value, label) pairs, read when a check or the control first needs them: a
    download whose filters are empty reads none."""

    shown: tuple[str, ...] = ()
    choices_from: ClassVar[dict[str, Callable[[QuerySet], Iterable[tuple]]]] = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name, filter_ in list(self.filters.items()):
            if isinstance(filter_, django_filters.OrderingFilter):
                _rebuild(filter_, widget=forms.HiddenInput)
            elif name not in self.shown and not _asked(data, name):
                del self.filters[name]
        self.filters = {
            name: self.filters[name]
            for name in sorted(self.filters, key=lambda n: _position(n, self.shown))
        }
        for name, fetch in self.choices_from.items():
            if name in self.filters:
                _rebuild(self.filters[name], choices=_Fetched(partial(fetch, self.queryset)))


def _rebuild(filter_: django_filters.Filter, **extra) -> None:
    """Change what this FilterSet's copy of a filter builds its form field with. A filter keeps
    the field it built, and the copy may carry one already: the class-level filter it was
    copied from builds its field when the API schema is drawn (drf-spectacular reads it)."""
    filter_.extra.update(extra)
    filter_.__dict__.pop("_field", None)


class _Fetched:
    def __init__(self, fetch: Callable[[], Iterable[tuple]]):
        self._fetch, self._rows = fetch, None

    def _all(self) -> list[tuple]:
        if self._rows is None:
            self._rows = list(self._fetch())
        return self._rows

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def __deepcopy__(self, memo):
        # the form's field and its widget each copy their choices: both read this one fetch
        return self


def _position(name: str, shown: tuple[str, ...]) -> int:
    return shown.index(name) if name in shown else len(shown)


def _asked(data, name: str) -> bool:
    """Whether the query gives the filter a value (a range filter reads `name_after` and such)."""
    return any(
        value and (key == name or key.startswith(f"{name}_")) for key, value in (data or {}).items()
    )


def rows_or_none(filterset: django_filters.FilterSet) -> QuerySet:
    """The filtered rows, or none while a filter's value is refused: a list that quietly left out
    the filter it could not read would pass for its answer (django-filter's "strict" views)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def is_filtered(filterset: django_filters.FilterSet) -> bool:
    """Whether the query sets any filter but the ordering (a sorted list is not a filtered one)."""
    return any(
        _asked(filterset.data, name)
        for name, filter_ in filterset.filters.items()
        if not isinstance(filter_, django_filters.OrderingFilter)
    )
