"""A report as an XLSX workbook: build one pre-filled for download, and read one back.

The rules of the round trip, without HTTP (the pages are in `views_spreadsheet`):

- `report_workbook` writes one sheet: a header block (cluster, period, state, when it was
  made), a hidden machine row (report id, cluster code, period) and one row per KPI in
  scorecard order, pre-filled with the current values and each value's revision (hidden
  column). Cells that do not apply to a KPI's unit are grey, empty and locked; input cells
  are unlocked; the sheet is protected without a password, so the keys stay put but a user
  who must can still unprotect it.
- `report_import` reads such a workbook back and hands every row to
  `report_record_values`, which checks all the values and saves all or nothing. Its errors
  come back row by row ("Row 12, denominator: ..."), with a copy of the uploaded workbook
  whose bad cells are red and carry a comment.

Numbers in cells (choices made here):
- Floats are what Excel stores, so 0.1 arrives as the double nearest to 0.1. We take
  `repr()` (the shortest text that gives back the same double: "0.1"). When that still has
  more than 4 decimals, it is binary noise from a formula (0.30000000000000004) or more
  precision than values keep: we take the 15 significant digits Excel itself shows, and if
  that still has more than 4 decimals we round half up to 4 decimals (the stored precision),
  as Excel's ROUND would. Typed text keeps the service's strict rule (at most 4 decimals).
- A formula cell counts with the value Excel last computed for it; one never computed
  (a workbook written by a script) is an error: formulas are not read, type the number.
- Dates and times in a number cell are errors; so are TRUE/FALSE, except in a yes/no KPI's
  value cell, where TRUE is 1 and FALSE is 0 (as are the words yes / no).
- An empty cell is "no value": clearing a cell clears the value.
- A number typed into a cell that does not apply to the KPI (a value for a ratio KPI...)
  is an error rather than silently dropped.
"""

import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from core.errors import ConflictError
from monitoring.models import Measurement, Report
from monitoring.services import report_record_values, require_field_writer
from monitoring.values import MAX_MAGNITUDE
from scorecards.models import KPI, OwnKPI, TemplateKPI

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A 2 MB zip can unpack to gigabytes; a real report workbook unpacks to well under 1 MB.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_DATA_ROWS = 1000
MAX_NOTE_LENGTH = Measurement._meta.get_field("note").max_length
FOUR_PLACES = Decimal("0.0001")

# The machine row: a marker, then report id, cluster code, period label, format version.
MARKER = "clusterboard-report"
FORMAT_VERSION = 1
HEADER_SCAN_ROWS = 30
META_ROW, KEYS_ROW, LABELS_ROW, FIRST_DATA_ROW = 7, 9, 10, 11

NUMBER_FIELDS = ("value", "numerator", "denominator", "value_women", "value_men")
# (key, header label, width); the keys row (hidden) lets the reader find columns by key.
COLUMNS = (
    ("code", gettext_lazy("KPI code"), 26),
    ("name", gettext_lazy("KPI"), 52),
    ("unit", gettext_lazy("Unit"), 14),
    ("how", gettext_lazy("How to fill"), 30),
    ("value", gettext_lazy("Value"), 12),
    ("numerator", gettext_lazy("Numerator"), 12),
    ("denominator", gettext_lazy("Denominator"), 13),
    ("value_women", gettext_lazy("Women"), 10),
    ("value_men", gettext_lazy("Men"), 10),
    ("note", gettext_lazy("Note"), 40),
    ("revision", gettext_lazy("Revision"), 9),
)
COLUMN_INDEX = {key: index for index, (key, _label, _width) in enumerate(COLUMNS, start=1)}
# How a field is named in an error message ("Row 12, denominator: ...").
FIELD_NAMES = {
    "code": gettext_lazy("KPI code"),
    "value": gettext_lazy("value"),
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
    "value_women": gettext_lazy("women"),
    "value_men": gettext_lazy("men"),
    "note": gettext_lazy("note"),
    "revision": gettext_lazy("revision"),
}
YES_WORDS = {"yes", "true", "sí", "si"}
NO_WORDS = {"no", "false"}

GREY = PatternFill("solid", start_color="D9D9D9")
HEADER_FILL = PatternFill("solid", start_color="DDE3EA")
INPUT_FILL = PatternFill("solid", start_color="FFFFFF")
ERROR_FILL = PatternFill("solid", start_color="FFC7CE")
ERROR_FONT = Font(color="9C0006", bold=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


# --- Download --------------------------------------------------------------------------------


def workbook_filename(report: Report, suffix: str = "") -> str:
    """`<cluster code>-<period>.xlsx`, e.g. mendoza-wine-2025-Q1.xlsx."""
    return f"{report.cluster.code}-{report.period.label}{suffix}.xlsx"


def fields_for(kpi: KPI) -> tuple[str, ...]:
    """The number cells a KPI of this unit is filled with; the others do not apply."""
    if kpi.is_ratio:
        return ("numerator", "denominator")
    if kpi.by_sex:
        return ("value", "value_women", "value_men")
    return ("value",)


def how_to_fill(kpi: KPI) -> str:
    if kpi.is_ratio:
        return _("Numerator and denominator (value = numerator / denominator x %(scale)s)") % {
            "scale": f"{kpi.scale.normalize():f}"
        }
    if kpi.unit == KPI.Unit.YES_NO:
        return _("1 = yes, 0 = no")
    if kpi.by_sex:
        return _("Women + men (whole numbers); the value is their total")
    if kpi.unit == KPI.Unit.COUNT:
        return _("A whole number, zero or more")
    if kpi.unit == KPI.Unit.CURRENCY and kpi.currency:
        return _("An amount in %(currency)s") % {"currency": kpi.currency}
    return _("A number (at most 4 decimals)")


def report_rows(report: Report) -> list[Measurement]:
    """The report's values in scorecard order: perspective, CSF, then KPI order (a cluster's
    own KPIs after the template's in the same CSF)."""
    measurements = list(report.measurements.select_related("kpi"))
    fields = ("kpi_id", "csf__perspective__order", "csf__perspective_id", "csf__order", "csf_id")
    places: dict[int, tuple] = {}
    template_places = TemplateKPI.objects.filter(
        csf__perspective__template=report.scorecard.template_id
    ).values(*fields, "order")
    own_places = OwnKPI.objects.filter(scorecard=report.scorecard_id).values(*fields, "order")
    for own, rows in ((0, template_places), (1, own_places)):
        for row in rows:
            key = (*(row[name] for name in fields[1:]), own, row["order"])
            places[row["kpi_id"]] = min(places.get(row["kpi_id"], key), key)
    unplaced = (10**9,)  # not expected; such a KPI still gets its row, last
    return sorted(measurements, key=lambda m: (places.get(m.kpi_id, unplaced), m.kpi.code))


def _number(value: Decimal | None) -> int | float | None:
    """A stored Decimal as Excel number: an int when whole, else the nearest float (at most
    4 decimals and under 1e12, so the float's repr gives the same Decimal back)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def report_workbook(report: Report) -> bytes:
    """The report as an XLSX workbook pre-filled with its current values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.period.label
    workbook.properties.creator = "Clusterboard"
    workbook.properties.title = str(report)

    title = _("Report: %(cluster)s, %(period)s")
    _put_text(sheet["A1"], title % {"cluster": report.cluster.name, "period": report.period.label})
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        (_("Cluster"), f"{report.cluster.name} ({report.cluster.code})"),
        (_("Period"), report.period.label),
        (_("State"), report.get_state_display()),
        (_("Generated at"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
    ]
    for row, (label, value) in enumerate(header, start=2):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        _put_text(sheet.cell(row=row, column=2), value)
    meta = [MARKER, report.pk, report.cluster.code, report.period.label, FORMAT_VERSION]
    for column, value in enumerate(meta, start=1):
        sheet.cell(row=META_ROW, column=column, value=value)
    sheet.row_dimensions[META_ROW].hidden = True
    sheet.cell(
        row=8,
        column=1,
        value=_(
            "Fill the white cells, save, and upload the file on the report's page. Grey "
            "cells do not apply to that KPI. Do not change the KPI codes. An empty cell "
            "means no value."
        ),
    ).font = Font(italic=True)

    for column, (key, label, width) in enumerate(COLUMNS, start=1):
        sheet.cell(row=KEYS_ROW, column=column, value=key)
        cell = sheet.cell(row=LABELS_ROW, column=column, value=str(label))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[KEYS_ROW].hidden = True
    sheet.column_dimensions[get_column_letter(COLUMN_INDEX["revision"])].hidden = True

    validations = _validations()
    for row, measurement in enumerate(report_rows(report), start=FIRST_DATA_ROW):
        _write_row(sheet, row, measurement, validations)
    for validation in validations.values():
        if validation.sqref:
            sheet.add_data_validation(validation)

    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3)
    sheet.print_title_rows = f"{LABELS_ROW}:{LABELS_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # let people widen a column
    sheet.protection.formatRows = False
    workbook.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put_text(cell, text: str) -> None:
    """Write text as text: never as a formula (a note "=HYPERLINK(...)" stays inert), and
    without the control characters XLSX cannot hold (openpyxl would refuse the whole file)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text or "")
    cell.value = text or None
    if text.startswith("="):
        cell.data_type = "s"


def _validations() -> dict[str, DataValidation]:
    def make(kind, **kwargs):
        return DataValidation(
            type=kind,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not a valid value"),
            **kwargs,
        )

    limit = f"{MAX_MAGNITUDE - FOUR_PLACES:f}"
    return {
        "yes_no": make(
            "list",
            formula1='"1,0"',
            error=_("Answer 1 (yes) or 0 (no)."),
            promptTitle=_("Yes / no"),
            prompt=_("1 = yes, 0 = no"),
            showInputMessage=True,
        ),
        "count": make(
            "whole",
            operator="between",
            formula1="0",
            formula2=limit.split(".")[0],
            error=_("A count is a whole number, zero or more."),
        ),
        "numerator": make(
            "decimal",
            operator="between",
            formula1="0",
            formula2=limit,
            error=_("The numerator cannot be negative."),
        ),
        "denominator": make(
            "decimal",
            operator="between",
            formula1="0.0001",
            formula2=limit,
            error=_("The denominator must be greater than zero."),
        ),
        "decimal": make(
            "decimal",
            operator="between",
            formula1=f"-{limit}",
            formula2=limit,
            error=_("Enter a number."),
        ),
    }


def _write_row(sheet, row: int, measurement: Measurement, validations) -> None:
    kpi = measurement.kpi
    unit = kpi.get_unit_display() + (f" ({kpi.currency})" if kpi.currency else "")
    fixed = {"code": kpi.code, "name": kpi.name, "unit": unit, "how": how_to_fill(kpi)}
    for key, value in fixed.items():
        cell = sheet.cell(row=row, column=COLUMN_INDEX[key])
        _put_text(cell, value)
        cell.alignment = WRAP
    applies = fields_for(kpi)
    for key in NUMBER_FIELDS:
        cell = sheet.cell(row=row, column=COLUMN_INDEX[key])
        if key not in applies:
            cell.fill = GREY
            continue
        cell.value = _number(getattr(measurement, key))
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        if kpi.unit == KPI.Unit.YES_NO:
            validations["yes_no"].add(cell)
        elif key in ("numerator", "denominator"):
            validations[key].add(cell)
        elif kpi.unit == KPI.Unit.COUNT:
            validations["count"].add(cell)
        else:
            validations["decimal"].add(cell)
    note = sheet.cell(row=row, column=COLUMN_INDEX["note"])
    _put_text(note, measurement.note)
    note.protection = UNLOCKED
    note.alignment = WRAP
    sheet.cell(row=row, column=COLUMN_INDEX["revision"], value=measurement.revision)


# --- Upload ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload: in a cell (row and field), a row, or the whole file."""

    message: str
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        if self.row and self.field:
            return _("Row %(row)d, %(field)s: %(message)s") % {
                "row": self.row,
                "field": FIELD_NAMES.get(self.field, self.field),
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ImportResult:
    """What an upload did: how many values it saved, or why it saved none (`errors`), with the
    uploaded workbook annotated (bad cells red, with a comment) when errors point at cells."""

    saved: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    annotated: bytes | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _FileRefused(_not_xlsx()) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _FileRefused(_too_big())
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
    for number, cells in enumerate(worksheet.iter_rows(max_col=len(COLUMNS) + 5), start=1):
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
            if key in COLUMN_INDEX
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
            text = _cell_number(value, kind, yes_no=kpi.unit == KPI.Unit.YES_NO)
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
    note, kind = cells["note"]
    if kind == "f?":
        problems.append(ImportProblem(_formula_message(), number, "note"))
    elif note is not None:
        note = _note_text(note)
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


def _formula_message() -> str:
    return _("Formulas are not read; type the number.")


def _note_text(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return _float_text(value)
    return str(value)


def _cell_number(value, kind: str, *, yes_no: bool) -> str | None:
    """A cell's content as text for the service to parse (None when empty); ValueError with a
    message for what a number cell cannot hold."""
    if kind == "f?":
        raise ValueError(_formula_message())
    if value is None:
        return None
    if isinstance(value, bool):
        if yes_no:
            return "1" if value else "0"
        raise ValueError(_("TRUE / FALSE is not a number: type the number."))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            _("This cell holds a date or time; type the number and format the cell as a number.")
        )
    if kind == "e":  # an Excel error value such as #DIV/0!
        raise ValueError(
            _("The cell shows the error %(error)s; type the number.") % {"error": value}
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "")
    if text == "":
        return None
    if yes_no:
        word = text.lower()
        if word in YES_WORDS or word == _("yes").lower():
            return "1"
        if word in NO_WORDS or word == _("no").lower():
            return "0"
    return text


def _float_text(number: float) -> str:
    """A float from a cell as decimal text, without binary noise (see the module docstring)."""
    shortest = Decimal(repr(number))  # 'nan' and 'inf' too: the service rejects them
    if not shortest.is_finite() or shortest.as_tuple().exponent >= -4:
        return f"{shortest:f}"
    excel = Decimal(f"{number:.15g}")
    if excel.as_tuple().exponent >= -4:
        return f"{excel:f}"
    if abs(excel) >= MAX_MAGNITUDE:
        return f"{excel:f}"  # the service says it is implausibly large
    try:
        return f"{excel.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP):f}"
    except InvalidOperation:  # pragma: no cover - bounded by the magnitude check above
        return f"{excel:f}"


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
