"""One object's history as people read it: a page of changes, newest first, each saying when,
who, and which fields went from what to what (labels and values as the pages show them).

A page costs a fixed number of queries whatever its rows: the page and the record just
before it, one query per many-to-many field kept, and one per model that foreign keys
point to (names looked up in bulk, not one by one).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

PER_PAGE = 20

# Kept for integrity, not news: the row's id, its timestamps, the revision counter, and
# "who saved it" fields that repeat the change's own author.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "revision", "updated_by", "set_by"})

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str  # "created", "changed" or "deleted"
    fields: list[FieldChange] = field(default_factory=list)


def changes_page(obj: models.Model, *, page: str | int | None, per_page: int = PER_PAGE) -> Page:
    """The page of `obj`'s changes asked for (the last one if beyond, the first if not a
    number); its `object_list` holds `Change`s, newest first."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    page_obj = Paginator(records, per_page).get_page(page)
    rows = list(page_obj.object_list)
    # The record before the page's oldest one, to say what that one changed.
    older = list(records[page_obj.end_index() : page_obj.end_index() + 1]) if rows else []
    page_obj.object_list = _changes(records.model, rows, older[0] if older else None)
    return page_obj


def _changes(history_model: type[models.Model], rows: list, before_page) -> list[Change]:
    model = history_model.instance_type
    kept = {f.attname for f in history_model._meta.concrete_fields}
    shown = [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in BOOKKEEPING and f.attname in kept
    ]
    m2m = list(history_model._history_m2m_fields) if rows else []
    records = [*rows, before_page] if before_page else rows
    sets = {f.name: _m2m_sets(records, f) for f in m2m}

    raw: list[tuple] = []  # (record, [(model field, old, new)])
    for i, record in enumerate(rows):
        previous = rows[i + 1] if i + 1 < len(rows) else before_page
        if record.history_type == "-":
            raw.append((record, []))
            continue
        if previous is None or record.history_type == "+":
            diffs = [(f, None, getattr(record, f.attname)) for f in shown]
            diffs = [d for d in diffs if d[2] not in (None, "")]
            diffs += [(f, None, sets[f.name][record.pk]) for f in m2m if sets[f.name][record.pk]]
        else:
            delta = record.diff_against(previous, included_fields=[f.name for f in shown])
            by_name = {f.name: f for f in shown}
            diffs = [(by_name[c.field], c.old, c.new) for c in delta.changes]
            diffs.sort(key=lambda d: shown.index(d[0]))  # the model's order, not alphabetical
            diffs += [
                (f, sets[f.name][previous.pk], sets[f.name][record.pk])
                for f in m2m
                if sets[f.name][previous.pk] != sets[f.name][record.pk]
            ]
        raw.append((record, diffs))

    names = _related_names(raw)
    return [
        Change(
            when=record.history_date,
            who=_who(record.history_user),
            kind={"+": "created", "-": "deleted"}.get(record.history_type, "changed"),
            fields=[
                FieldChange(
                    label=capfirst(f.verbose_name),
                    old=_show(f, old, names),
                    new=_show(f, new, names),
                )
                for f, old, new in diffs
            ],
        )
        for record, diffs in raw
    ]


def _m2m_sets(records: list, model_field: models.ManyToManyField) -> dict:
    """For each historical record, the ids the many-to-many field held then (one query)."""
    through = getattr(type(records[0]), model_field.name).model  # simple_history's m2m rows
    target = f"{get_m2m_reverse_field_name(model_field)}_id"
    sets: dict = defaultdict(frozenset)
    pairs = through.objects.filter(history__in=[r.pk for r in records]).values_list(
        "history_id", target
    )
    grouped = defaultdict(set)
    for history_id, target_id in pairs:
        grouped[history_id].add(target_id)
    sets.update({k: frozenset(v) for k, v in grouped.items()})
    return sets


def _related_names(raw: list[tuple]) -> dict:
    """{(related model, id): its name} for every id the changes name, one query per model."""
    wanted: dict = defaultdict(set)
    for _record, diffs in raw:
        for f, old, new in diffs:
            if f.is_relation:
                for value in (old, new):
                    ids = value if isinstance(value, frozenset) else {value}
                    wanted[f.related_model].update(i for i in ids if i is not None)
    names = {}
    for related, ids in wanted.items():
        for pk, related_obj in related._default_manager.in_bulk(ids).items():
            names[related, pk] = str(related_obj)
    return names


def _who(user) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.get_username()


def _show(model_field: models.Field, value, names: dict) -> str:
    """A stored value as the pages show it: names for ids, labels for choices, local formats."""
    if value is None or value == "" or value == frozenset():
        return EMPTY
    if model_field.is_relation:
        ids = sorted(value) if isinstance(value, frozenset) else [value]
        shown = [
            names.get((model_field.related_model, i), _("#%(id)s (deleted)") % {"id": i})
            for i in ids
        ]
        return ", ".join(sorted(shown, key=str.casefold))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return formats.number_format(_plain(value), use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _plain(value: Decimal) -> Decimal:
    """12.5000 as 12.5, and 1E+3 as 1000: the digits that mean something, never an exponent."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal
