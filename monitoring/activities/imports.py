"""Bulk import of activities from a spreadsheet (XLSX or CSV): all rows or none, problems by row.

The file is validated as a whole, like the report spreadsheet (monitoring.reports.upload):
every row is checked by the same rules as the quick-entry form (monitoring.activities.rules,
through activities_create_many), all rows at once with a fixed number of queries, so that
one upload lists the problems of every row; if any row is wrong nothing is kept. Problems
say the spreadsheet row ("Row 4, date: ...").

Layout (monitoring.activities.template): the first row holds the column keys (the English or
translated header labels are accepted too), one activity per row below it. Empty rows are
skipped. Numbers: an empty cost or count is 0; amounts take "." (or a lone ",") as decimal
mark. Dates: a date cell, YYYY-MM-DD or DD/MM/YYYY. Type: the code or its label. Cluster and
BSO: codes. Action item: its id (optional). Formulas count with the value Excel last
computed. Reading the file and its cells: monitoring.activities.sheet.

The steps are public so that a large file can run as a background job with a progress bar
(monitoring.activities.jobs): `activity_rows` reads the file, `activities_prepare` turns the
rows into the service's data (reads only; it reports its progress), `activities_save` checks
and saves all rows in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, scope_queryset
from bsos.models import BSO
from clusters.models import ActionItem
from core.errors import PermissionDenied
from monitoring.activities.rules import activities_refusals
from monitoring.activities.services import (
    ActivitiesRefused,
    activities_build,
    activities_create_many,
    require_activity_writer,
)
from monitoring.activities.sheet import (
    ImportRefused,
    activity_rows,
    cell_date,
    cell_money,
    cell_text,
    cell_type,
    cell_whole,
    type_names,
)
from monitoring.activities.template import KEYS, MAX_ROWS, template_workbook
from monitoring.models.activities import COST_FIELDS, Activity
from monitoring.spreadsheets.problems import ImportProblem, ImportResult

__all__ = ["KEYS", "MAX_ROWS", "activities_import", "activity_rows", "template_workbook"]

WHOLE_FIELDS = ("firms", "women", "men")
PROGRESS_EVERY = 100  # rows between two progress reports

Progress = Callable[[int, int], None]  # (rows done, rows in all)


def _row_data(number: int, raw: dict, refs: dict) -> tuple[dict, list[ImportProblem]]:
    data, problems = {}, []

    def parse(key, convert):
        try:
            data[key] = convert(raw.get(key))
        except ValueError as error:
            problems.append(ImportProblem(str(error), number, key))

    code = cell_text(raw.get("cluster"))
    data["cluster"] = refs["clusters"].get(code)
    if data["cluster"] is None:
        message = _("No cluster with the code “%(code)s” in your scope.") % {"code": code}
        problems.append(ImportProblem(message, number, "cluster"))
    bso_code = cell_text(raw.get("bso"))
    if bso_code:
        data["bso"] = refs["bsos"].get(bso_code)
        if data["bso"] is None:
            message = _("No BSO with the code “%(code)s”.") % {"code": bso_code}
            problems.append(ImportProblem(message, number, "bso"))
    parse("date", cell_date)
    parse("type", lambda value: cell_type(value, refs["types"]))
    for key in WHOLE_FIELDS:
        parse(key, cell_whole)
    for key in COST_FIELDS:
        parse(key, cell_money)
    for key in ("title", "description", "outcome", "currency"):
        data[key] = cell_text(raw.get(key))
    item = cell_text(raw.get("action_item"))
    if item:
        data["action_item"] = refs["items"].get(item)
        if data["action_item"] is None:
            message = _("No action item with the id %(id)s.") % {"id": item}
            problems.append(ImportProblem(message, number, "action_item"))
    return data, problems


def _references(user, rows) -> dict:
    """Clusters and action items (in scope: another one reads as unknown, like an id that names
    nothing) and BSOs named by the rows: three queries in all."""
    codes = {cell_text(raw.get("cluster")) for _n, raw in rows}
    bsos = {cell_text(raw.get("bso")) for _n, raw in rows}
    items = {cell_text(raw.get("action_item")) for _n, raw in rows}
    item_ids = [int(i) for i in items if i.isascii() and i.isdigit() and len(i) < 19]
    return {
        "clusters": {c.code: c for c in clusters_in_scope(user).filter(code__in=codes)},
        "bsos": {b.code: b for b in BSO.objects.filter(code__in=bsos)},
        "items": {
            str(i.pk): i
            for i in scope_queryset(
                ActionItem.objects.filter(pk__in=item_ids), user, cluster_field="committee__cluster"
            ).select_related("committee")
        },
        "types": type_names(),
    }


# --- The import, step by step -----------------------------------------------------------------


@dataclass
class PreparedRows:
    """The rows turned into the service's data; the rows with unreadable cells apart."""

    ready: list[tuple[int, dict]] = field(default_factory=list)  # (row number, data)
    problems: dict[int, list[ImportProblem]] = field(default_factory=dict)  # row -> problems
    order: list[int] = field(default_factory=list)  # every row number, in the file's order


def activities_prepare(
    *, rows: list[tuple[int, dict]], user, progress: Progress | None = None
) -> PreparedRows:
    """Read every row's cells (three queries for the clusters, BSOs and action items named);
    writes nothing, so its progress can be told while it runs."""
    refs = _references(user, rows)
    prepared = PreparedRows()
    for done, (number, raw) in enumerate(rows, start=1):
        prepared.order.append(number)
        data, row_problems = _row_data(number, raw, refs)
        if row_problems:
            prepared.problems[number] = row_problems + _field_problems(number, data, row_problems)
        else:
            prepared.ready.append((number, data))
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    return prepared


def activities_save(*, prepared: PreparedRows, user) -> ImportResult:
    """Log every prepared activity, or none when any row is wrong: the problems of every row,
    in the file's order. All rows are checked together with a fixed number of queries."""
    problems = dict(prepared.problems)
    numbers = [number for number, _data in prepared.ready]
    rows = [data for _number, data in prepared.ready]
    saved = 0
    try:
        if problems:  # nothing will be saved: only check the other rows, to list their problems
            refusals = activities_refusals(
                activities=activities_build(rows=rows, user=user), user=user
            )
        else:
            saved = len(activities_create_many(rows=rows, user=user))
            refusals = {}
    except ActivitiesRefused as refused:
        refusals = refused.errors
    for index, error in refusals.items():
        number = numbers[index]
        if isinstance(error, PermissionDenied):
            problems[number] = [ImportProblem(str(error), number)]
        else:
            problems[number] = _service_problems(number, error)
    if problems:
        return ImportResult(
            errors=[p for number in prepared.order for p in problems.get(number, [])]
        )
    return ImportResult(saved=saved)


def activities_import(
    *, user, file=None, rows: list[tuple[int, dict]] | None = None, progress: Progress | None = None
) -> ImportResult:
    """Log every activity of the spreadsheet (or of its rows, already read), or none; say what
    is wrong in which row."""
    require_activity_writer(user, None)  # a reader learns that before anything about the file
    if rows is None:
        try:
            rows = activity_rows(file=file)
        except ImportRefused as refusal:
            return ImportResult(errors=[ImportProblem(str(refusal))])
    return activities_save(
        prepared=activities_prepare(rows=rows, user=user, progress=progress), user=user
    )


def _field_problems(number: int, data: dict, known: list[ImportProblem]) -> list[ImportProblem]:
    """The model's own field checks on the cells that could be read, so that a row with one
    unreadable cell still has its other problems listed (nothing is saved here)."""
    failed = {problem.field for problem in known}
    fields = {k: v for k, v in data.items() if k not in failed and v is not None}
    try:
        # The cluster, BSO and action item are rows just read from the database: their
        # existence is not asked again, row by row.
        Activity(**fields).full_clean(
            exclude=[*failed, "cluster", "bso", "action_item"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return [p for p in _service_problems(number, error) if p.field not in failed]
    return []


def _service_problems(number: int, error: ValidationError) -> list[ImportProblem]:
    if not hasattr(error, "error_dict"):
        return [ImportProblem(m, number) for m in error.messages]
    return [
        ImportProblem(message, number, None if key == "__all__" else key)
        for key, messages in error.message_dict.items()
        for message in messages
    ]
