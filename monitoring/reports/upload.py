"""A report's workbook read back (`report_import`): the upload half of the round trip whose
layout `monitoring.reports.workbook` writes.

`report_import` hands every row to `report_record_values`, which checks all the values and
saves all or nothing. Its errors come back row by row ("Row 12, denominator: ..."), with a
copy of the uploaded workbook whose bad cells are red and carry a comment. What a cell
holds is read by monitoring.spreadsheets.cells.
"""

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from core.errors import ConflictError
from core.uploads import UploadRefused, upload_check
from monitoring.models import Measurement, Report
from monitoring.reports.services import report_record_values, require_field_writer
from monitoring.reports.workbook import (
    COLUMN_INDEX,
    COLUMNS,
    MARKER,
    MAX_SPLIT_COLUMNS,
    NUMBER_FIELDS,
    SPLIT_PREFIX,
    fields_for,
)
from monitoring.spreadsheets.cells import cell_number, formula_message, note_text
from monitoring.spreadsheets.problems import ImportProblem, ImportResult
from scorecards.models import KPI

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_DATA_ROWS = 1000
MAX_NOTE_LENGTH = Measurement._meta.get_field("note").max_length
HEADER_SCAN_ROWS = 30
ERROR_FILL = PatternFill("solid", start_color="FFC7CE")
ERROR_FONT = Font(color="9C0006", bold=True)


class _FileRefused(Exception):
    """The upload as a whole cannot be read as this report's workbook."""


class _Discard(Exception):
    """Raised inside the import's transaction to undo a save when other rows were wrong."""


@dataclass
class _Sheet:
    index: int
    meta: tuple
    columns: dict[str, int]  # key -> 1-based column
    rows: list[tuple[int, dict[str, tuple[Any, str]]]]  # (row number, key -> (value, type))


def report_import(*, report: Report, file: BinaryIO | bytes, user) -> ImportResult:
    """Read a report workbook and record all its values, or none; say what is wrong where."""
    require_field_writer(user)  # a reviewer learns that before anything about the file
    try:
        data = _read_upload(file)
        sheet = _parse(data)
        _check_report(sheet, report)
    except _FileRefused as refusal:
        return ImportResult(errors=[ImportProblem(str(refusal))])

    problems, rows, row_of_kpi = _rows_to_values(sheet, report)
    saved = 0
    try:
        with transaction.atomic():
            # Rows with errors of their own are left out, the others still get checked by the
            # service so that one upload lists every problem; then nothing is kept.
            try:
                saved = len(report_record_values(report=report, rows=rows, user=user))
            except ConflictError as conflict:
                problems.append(ImportProblem(str(conflict)))
            except ValidationError as error:
                problems.extend(_service_problems(error, row_of_kpi))
            if problems:
                raise _Discard
    except _Discard:
        saved = 0
    if not problems:
        return ImportResult(saved=saved)
    problems.sort(key=lambda p: (p.row or 0, COLUMN_INDEX.get(p.field or "", 0)))
    annotated = _annotate(data, sheet, problems) if any(p.row for p in problems) else None
    return ImportResult(errors=problems, annotated=annotated)


def _read_upload(file: BinaryIO | bytes) -> bytes:
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
            raise _FileRefused(_too_big())
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _FileRefused(_too_big())
    if not data:
        raise _FileRefused(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: .xls, or an encrypted .xlsx
        raise _FileRefused(
            _(
                "This is an old Excel (.xls) or password-protected file. Save it as an Excel "
                "workbook (.xlsx) without a password and upload it again."
            )
        )
    try:
        upload_check(data, kind="xlsx")  # its parts, by content; what it unpacks to
    except UploadRefused as refusal:
        raise _FileRefused(_not_xlsx() if refusal.reason == "content" else str(refusal)) from None
    return data


def _too_big() -> str:
    return _("The file is too large: a report workbook is well under %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _not_xlsx() -> str:
    return _(
        "This file is not an Excel workbook (.xlsx). Download the report's spreadsheet, fill "
        "it in and upload that file."
    )


def _not_ours() -> str:
    return _(
        "This workbook is not a Clusterboard report spreadsheet. Download the report's "
        "spreadsheet from its page, fill it in and upload that file."
    )


def _parse(data: bytes) -> _Sheet:
    """The report sheet's machine row, columns and data rows, with formulas replaced by the
    values Excel last computed for them."""
    try:
        sheet = _scan(data, data_only=False)
        formulas = {
            (number, key)
            for number, cells in sheet.rows
            for key, (_value, kind) in cells.items()
            if kind == "f"
        }
        if formulas:
            computed = dict(_scan(data, data_only=True, index=sheet.index).rows)
            by_number = dict(sheet.rows)
            for number, key in formulas:
                value, kind = computed.get(number, {}).get(key, (None, "n"))
                # "f?": a formula Excel never computed (the file was written by a program)
                by_number[number][key] = (value, "f?" if value is None else kind)
    except _FileRefused:
        raise
    except Exception:  # whatever the parser trips on in an uploaded file, it is not our xlsx
        raise _FileRefused(_not_xlsx()) from None
    return sheet


def _scan(data: bytes, *, data_only: bool, index: int | None = None) -> _Sheet:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        sheets = workbook.worksheets
        candidates = range(len(sheets)) if index is None else [index]
        for i in candidates:
            found = _scan_sheet(sheets[i], i)
            if found:
                return found
    finally:
        workbook.close()
    raise _FileRefused(_not_ours())


def _scan_sheet(worksheet, index: int) -> _Sheet | None:
    meta = None
    columns: dict[str, int] = {}
    rows = []
    header_rows_left = 1  # the visible labels row under the keys row
    for number, cells in enumerate(
        worksheet.iter_rows(max_col=len(COLUMNS) + MAX_SPLIT_COLUMNS + 5), start=1
    ):
        values = [getattr(cell, "value", None) for cell in cells]
        first = values[0] if values else None
        if meta is None:
            if first == MARKER:
                meta = tuple(values)
            elif number >= HEADER_SCAN_ROWS:
                return None
            continue
        if not columns:
            if first == "code":
                columns = {v: i for i, v in enumerate(values, start=1) if isinstance(v, str)}
                if not set(COLUMN_INDEX) <= set(columns):
                    raise _FileRefused(_not_ours())
            elif number >= HEADER_SCAN_ROWS:
                raise _FileRefused(_not_ours())
            continue
        if header_rows_left:
            header_rows_left -= 1
            continue
        row = {
            key: (cells[i - 1].value, cells[i - 1].data_type) if i <= len(cells) else (None, "n")
            for key, i in columns.items()
            if key in COLUMN_INDEX or key.startswith(SPLIT_PREFIX)
        }
        if any(value not in (None, "") for value, _kind in row.values()):
            rows.append((number, row))
            if len(rows) > MAX_DATA_ROWS:
                raise _FileRefused(
                    _("The sheet has more than %(count)d rows of KPIs.") % {"count": MAX_DATA_ROWS}
                )
    if meta is None:
        return None
    if not columns:
        raise _FileRefused(_not_ours())
    return _Sheet(index=index, meta=meta, columns=columns, rows=rows)


def _check_report(sheet: _Sheet, report: Report) -> None:
    meta = [*sheet.meta, None, None, None, None][:5]
    _marker, report_id, cluster_code, period_label, _version = meta
    try:
        same_id = int(report_id) == report.pk
    except (TypeError, ValueError):
        same_id = False
    if (
        not same_id
        or str(cluster_code) != report.cluster.code
        or str(period_label) != report.period.label
    ):
        raise _FileRefused(
            _(
                "This workbook is for another report (%(cluster)s, %(period)s), not for "
                "%(this_cluster)s, %(this_period)s. Nothing was saved."
            )
            % {
                "cluster": cluster_code or "?",
                "period": period_label or "?",
                "this_cluster": report.cluster.code,
                "this_period": report.period.label,
            }
        )


def _rows_to_values(
    sheet: _Sheet, report: Report
) -> tuple[list[ImportProblem], dict[int, dict[str, Any]], dict[int, int]]:
    """Map rows to the report's KPIs by code and cells to raw inputs for the service."""
    measurements = {m.kpi.code: m for m in report.measurements.select_related("kpi")}
    problems: list[ImportProblem] = []
    rows: dict[int, dict[str, Any]] = {}
    row_of_kpi: dict[int, int] = {}
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        code_value = cells["code"][0]
        code = "" if code_value is None else str(code_value).strip()
        if not code:
            problems.append(ImportProblem(_("This row has no KPI code."), number, "code"))
            continue
        if code in seen:
            problems.append(
                ImportProblem(
                    _("KPI “%(code)s” is already in row %(row)d.")
                    % {"code": code, "row": seen[code]},
                    number,
                    "code",
                )
            )
            continue
        seen[code] = number
        measurement = measurements.get(code)
        if measurement is None:
            problems.append(
                ImportProblem(
                    _("“%(code)s” is not a KPI of this report.") % {"code": code}, number, "code"
                )
            )
            continue
        raw, row_problems = _row_values(measurement.kpi, cells, number)
        if row_problems:
            problems.extend(row_problems)
            continue
        rows[measurement.kpi_id] = raw
        row_of_kpi[measurement.kpi_id] = number
    for code, measurement in measurements.items():
        if code not in seen:
            problems.append(
                ImportProblem(
                    _("KPI “%(code)s” (%(name)s) is missing from the sheet; put its row back.")
                    % {"code": code, "name": measurement.kpi.name}
                )
            )
    return problems, rows, row_of_kpi


def _row_values(kpi: KPI, cells: dict, number: int) -> tuple[dict[str, Any], list[ImportProblem]]:
    raw: dict[str, Any] = {}
    problems = []
    applies = fields_for(kpi)
    for key in NUMBER_FIELDS:
        value, kind = cells[key]
        try:
            text = cell_number(value, kind, yes_no=kpi.unit == KPI.Unit.YES_NO)
        except ValueError as error:
            problems.append(ImportProblem(str(error), number, key))
            continue
        if key not in applies:
            if text is not None:
                problems.append(
                    ImportProblem(
                        _("This cell does not apply to this KPI: leave it empty."), number, key
                    )
                )
            continue
        raw[key] = text
    for key, (value, kind) in cells.items():
        if not key.startswith(SPLIT_PREFIX):
            continue
        dimension, category = key.removeprefix(SPLIT_PREFIX).partition(".")[::2]
        try:
            text = cell_number(value, kind, yes_no=False)
        except ValueError as error:
            problems.append(ImportProblem(str(error), number, key))
            continue
        if dimension not in kpi.split_dimensions:
            if text is not None:
                problems.append(
                    ImportProblem(
                        _("This cell does not apply to this KPI: leave it empty."), number, key
                    )
                )
            continue
        raw.setdefault("splits", {}).setdefault(dimension, {})[category] = text
    note, kind = cells["note"]
    if kind == "f?":
        problems.append(ImportProblem(formula_message(), number, "note"))
    elif note is not None:
        note = note_text(note)
        if len(note) > MAX_NOTE_LENGTH:
            problems.append(
                ImportProblem(
                    _("A note can have at most %(count)d characters.") % {"count": MAX_NOTE_LENGTH},
                    number,
                    "note",
                )
            )
        raw["note"] = note
    revision = _revision(cells["revision"][0])
    if revision is not None:
        raw["revision"] = revision
    else:
        problems.append(
            ImportProblem(
                _("The hidden revision cell is missing or was changed: download a fresh copy."),
                number,
                "revision",
            )
        )
    return raw, problems


def _revision(value) -> int | None:
    """The hidden revision cell as written by `report_workbook` (a whole number), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 0 else None


def _service_problems(error: ValidationError, row_of_kpi: dict[int, int]) -> list[ImportProblem]:
    """The service's "<kpi id>.<field>" errors as row-numbered problems."""
    if not hasattr(error, "error_dict"):
        return [ImportProblem(message) for message in error.messages]
    problems = []
    for key, messages in error.message_dict.items():
        kpi_id, _dot, field_name = key.partition(".")
        row = row_of_kpi.get(int(kpi_id)) if kpi_id.isdigit() else None
        for message in messages:
            problems.append(ImportProblem(message, row, field_name or None))
    return problems


def _annotate(data: bytes, sheet: _Sheet, problems: list[ImportProblem]) -> bytes | None:
    """A copy of the uploaded workbook with each bad cell red and its errors as a comment."""
    messages: dict[tuple[int, int], list[str]] = defaultdict(list)
    for problem in problems:
        if not problem.row:
            continue
        key = problem.field or "code"
        if key not in sheet.columns or key == "revision":  # hidden: mark the row's code
            key = "code"
        text = problem.message if key == (problem.field or "code") else str(problem)
        messages[(problem.row, sheet.columns[key])].append(text)
    try:
        workbook = load_workbook(io.BytesIO(data))
        worksheet = workbook.worksheets[sheet.index]
        for (row, column), texts in messages.items():
            cell = worksheet.cell(row=row, column=column)
            cell.fill = ERROR_FILL
            cell.font = ERROR_FONT
            text = "\n".join(texts)
            cell.comment = Comment(text, "Clusterboard", width=320, height=60 + 20 * len(texts))
        out = io.BytesIO()
        workbook.save(out)
    except Exception:  # the page still lists the errors, just without the marked copy
        return None
    return out.getvalue()
