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
    subject: str = ""  # on a timeline, which of the object's parts changed ("" the object)


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
    """The changes of one object's records (newest first), each against the one after it."""
    pairs = [
        (record, rows[i + 1] if i + 1 < len(rows) else before_page) for i, record in enumerate(rows)
    ]
    return _changes_between(history_model, pairs)


def _changes_between(history_model: type[models.Model], pairs: list[tuple]) -> list[Change]:
    """For each (record, the same object's record before it or None), what the record changed."""
    rows = [record for record, _previous in pairs]
    model = history_model.instance_type
    kept = {f.attname for f in history_model._meta.concrete_fields}
    shown = [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in BOOKKEEPING and f.attname in kept
    ]
    m2m = list(history_model._history_m2m_fields) if rows else []
    records = list({r.pk: r for pair in pairs for r in pair if r is not None}.values())
    sets = {f.name: _m2m_sets(records, f) for f in m2m}

    raw: list[tuple] = []  # (record, [(model field, old, new)])
    for record, previous in pairs:
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


# --- an object with its parts ----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """Records of the objects that belong to another one (a program's components...), and the
    field whose value names each of them on the timeline (a name, a date, a cluster)."""

    records: models.QuerySet  # a historical model's rows, e.g. Component.history.filter(...)
    named_by: str


def timeline_page(
    obj: models.Model, *, parts: list[Part], page: str | int | None, per_page: int = PER_PAGE
) -> Page:
    """The page asked for of `obj`'s changes and its parts' (including parts since deleted),
    newest first; each `Change` of a part says which one (`subject`).

    Queries: one per source to order every record (dates and ids only), then for each source on
    the page its records and the records before them, and the names they show.
    """
    sources = [obj.history.all(), *(part.records for part in parts)]
    keys = []  # (when, history id, source), newest first
    for index, records in enumerate(sources):
        rows = records.order_by().values_list("history_date", "history_id")
        keys += [(when, history_id, index) for when, history_id in rows]
    keys.sort(reverse=True)
    page_obj = Paginator(keys, per_page).get_page(page)
    wanted: dict[int, list[int]] = defaultdict(list)
    for _when, history_id, index in page_obj.object_list:
        wanted[index].append(history_id)
    changes = {}
    for index, ids in wanted.items():
        part = parts[index - 1] if index else None
        for record, change in _source_changes(sources[index], ids, part):
            changes[index, record.history_id] = change
    page_obj.object_list = [changes[index, hid] for _when, hid, index in page_obj.object_list]
    return page_obj


def _source_changes(records: models.QuerySet, ids: list[int], part: Part | None) -> list:
    """(record, Change) for the records `ids` of one source, each against the same object's
    record just before it."""
    rows = list(records.filter(history_id__in=ids).select_related("history_user"))
    history = (
        records.filter(id__in={r.id for r in rows})
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    before: dict[int, object] = {}
    last_of: dict[int, object] = {}
    for record in history:  # each record's predecessor among its own object's records
        before[record.history_id] = last_of.get(record.id)
        last_of[record.id] = record
    pairs = [(row, before.get(row.history_id)) for row in rows]
    changes = _changes_between(records.model, pairs)
    if part is not None:
        subjects = _subjects(records.model, rows, part)
        for change, subject in zip(changes, subjects, strict=True):
            change.subject = subject
    return list(zip(rows, changes, strict=True))


def _subjects(history_model, rows: list, part: Part) -> list[str]:
    """ "Component: Training", "Enrolment: Mendoza wine": each row's kind of part and its name
    (names of related rows looked up in one query)."""
    model = history_model.instance_type
    kind = capfirst(model._meta.verbose_name)
    naming = model._meta.get_field(part.named_by)
    values = [getattr(row, naming.attname) for row in rows]
    names = {}
    if naming.is_relation:
        found = naming.related_model._default_manager.in_bulk({v for v in values if v})
        names = {(naming.related_model, pk): str(obj) for pk, obj in found.items()}
    return [f"{kind}: {_show(naming, value, names)}" for value in values]
