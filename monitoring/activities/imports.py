"""Bulk import of activities from a spreadsheet (XLSX or CSV), and the template to fill.

The file is validated as a whole, like the report spreadsheet
(monitoring.spreadsheet_import): every row goes through the same service as the quick-entry
form (activity_create) inside one transaction, each row in a savepoint so that one upload
lists the problems of every row, and if any row is wrong nothing is kept. Problems say the
spreadsheet row ("Row 4, date: ...").

Layout: the first row holds the column keys (IMPORT_COLUMNS; the English or translated
header labels are accepted too), one activity per row below it. Empty rows are skipped.
Numbers: an empty cost or count is 0; amounts take "." (or a lone ",") as decimal mark. Dates:
a date cell, YYYY-MM-DD or DD/MM/YYYY. Type: the code or its label. Cluster and BSO: codes.
Action item: its id (optional). Formulas count with the value Excel last computed.
"""

import csv
import datetime
import io
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.scopes import clusters_in_scope
from bsos.models import BSO
from clusters.models import ActionItem
from core.errors import PermissionDenied
from monitoring.activities.services import activity_create, require_activity_writer
from monitoring.models.activities import COST_FIELDS, Activity, ActivityType
from monitoring.spreadsheets.cells import float_text
from monitoring.spreadsheets.problems import MAX_UNPACKED_BYTES, ImportProblem, ImportResult

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
IMPORT_COLUMNS = (
    ("cluster", gettext_lazy("Cluster code")),
    ("bso", gettext_lazy("BSO code")),
    ("date", gettext_lazy("Date")),
    ("type", gettext_lazy("Type")),
    ("title", gettext_lazy("Title")),
    ("description", gettext_lazy("Description")),
    ("firms", gettext_lazy("Firms")),
    ("women", gettext_lazy("Women")),
    ("men", gettext_lazy("Men")),
    ("cost_program", gettext_lazy("Program fund")),
    ("cost_firms", gettext_lazy("Firms' contribution")),
    ("cost_public", gettext_lazy("Other public funds")),
    ("cost_credit", gettext_lazy("Credit")),
    ("currency", gettext_lazy("Currency")),
    ("action_item", gettext_lazy("Action item id")),
    ("outcome", gettext_lazy("Outcome notes")),
)
KEYS = [key for key, _label in IMPORT_COLUMNS]
REQUIRED = ("cluster", "date", "type", "title", "currency")
WHOLE_FIELDS = ("firms", "women", "men")


class _Refused(Exception):
    """The file as a whole cannot be read."""


class _Discard(Exception):
    """Raised inside the import's transaction to undo every row when one was wrong."""


# --- Reading the file -------------------------------------------------------------------------


def _read(file) -> tuple[str, bytes]:
    name = (getattr(file, "name", "") or "").lower()
    if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
        raise _Refused(_too_big())
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _Refused(_too_big())
    if not data:
        raise _Refused(_("The file is empty."))
    kind = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    misnamed = bool(name) and name.endswith(".xlsx") != (kind == "xlsx")
    if misnamed or (kind == "csv" and b"\x00" in data[:4096]):
        raise _Refused(_("Upload the activities as an .xlsx or a .csv file."))
    return kind, data


def _too_big() -> str:
    return _("The file is too large: at most %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _header_keys(header: list) -> dict[int, str]:
    """Column index -> key, from the header row (keys, or labels in English or translated)."""
    names = {}
    for key, label in IMPORT_COLUMNS:
        names[key] = key
        names[str(label).lower()] = key
        with override("en"):
            names[str(label).lower()] = key  # the English label, whatever the language
    columns = {}
    for index, value in enumerate(header):
        key = names.get(str(value or "").strip().lower())
        if key:
            columns[index] = key
    missing = [k for k in REQUIRED if k not in columns.values()]
    if missing:
        raise _Refused(
            _("The first row must name the columns; missing: %(keys)s. Start from the template.")
            % {"keys": ", ".join(missing)}
        )
    return columns


def _rows(kind: str, data: bytes) -> list[tuple[int, dict]]:
    table = _xlsx_table(data) if kind == "xlsx" else _csv_table(data)
    if not table:
        raise _Refused(_("The file has no rows."))
    columns = _header_keys(table[0][1])
    rows = []
    for number, values in table[1:]:
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            continue
        rows.append((number, raw))
        if len(rows) > MAX_ROWS:
            raise _Refused(_("Import at most %(n)d activities at a time.") % {"n": MAX_ROWS})
    if not rows:
        raise _Refused(_("The file has no activities below its first row."))
    return rows


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _Refused(_too_big())
        formulas = _xlsx_values(data, data_only=False)
        has_formula = any(
            isinstance(v, str) and v.startswith("=") for _n, row in formulas for v in row
        )
        table = _xlsx_values(data, data_only=True) if has_formula else formulas
    except _Refused:
        raise
    except Exception:  # whatever the parser trips on, the upload is not a workbook we read
        raise _Refused(_("This file is not an Excel workbook (.xlsx) we can read.")) from None
    return table


def _xlsx_values(data: bytes, *, data_only: bool) -> list[tuple[int, list]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(values))
            for number, values in enumerate(
                sheet.iter_rows(max_col=len(KEYS) + 10, values_only=True), start=1
            )
        ]
    finally:
        workbook.close()


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, row) for number, row in enumerate(reader, start=1)]


# --- Turning a row into the service's data ----------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return float_text(value)
    return str(value).strip()


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))


def _type(value) -> str:
    text = _text(value).lower()
    for choice in ActivityType:
        with override("en"):
            english = str(choice.label).lower()
        if text in (choice.value, str(choice.label).lower(), english):
            return choice.value
    raise ValueError(_("Unknown type; use one of the codes listed in the template."))


def _whole(value) -> int:
    text = _text(value)
    if text == "":
        return 0
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("A whole number, zero or more.")) from None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(_("A whole number, zero or more."))
    return int(number)


def _money(value) -> Decimal:
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if text == "":
        return Decimal("0")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Enter an amount, e.g. 1500.50.")) from None
    if not amount.is_finite():
        raise ValueError(_("Enter an amount, e.g. 1500.50."))
    return amount


def _row_data(number: int, raw: dict, refs: dict) -> tuple[dict, list[ImportProblem]]:
    data, problems = {}, []

    def parse(key, convert):
        try:
            data[key] = convert(raw.get(key))
        except ValueError as error:
            problems.append(ImportProblem(str(error), number, key))

    code = _text(raw.get("cluster"))
    data["cluster"] = refs["clusters"].get(code)
    if data["cluster"] is None:
        message = _("No cluster with the code “%(code)s” in your scope.") % {"code": code}
        problems.append(ImportProblem(message, number, "cluster"))
    bso_code = _text(raw.get("bso"))
    if bso_code:
        data["bso"] = refs["bsos"].get(bso_code)
        if data["bso"] is None:
            message = _("No BSO with the code “%(code)s”.") % {"code": bso_code}
            problems.append(ImportProblem(message, number, "bso"))
    parse("date", _date)
    parse("type", _type)
    for key in WHOLE_FIELDS:
        parse(key, _whole)
    for key in COST_FIELDS:
        parse(key, _money)
    for key in ("title", "description", "outcome", "currency"):
        data[key] = _text(raw.get(key))
    item = _text(raw.get("action_item"))
    if item:
        data["action_item"] = refs["items"].get(item)
        if data["action_item"] is None:
            message = _("No action item with the id %(id)s.") % {"id": item}
            problems.append(ImportProblem(message, number, "action_item"))
    return data, problems


def _references(user, rows) -> dict:
    """Clusters (in scope), BSOs and action items named by the rows: three queries in all."""
    codes = {_text(raw.get("cluster")) for _n, raw in rows}
    bsos = {_text(raw.get("bso")) for _n, raw in rows}
    items = {_text(raw.get("action_item")) for _n, raw in rows}
    item_ids = [int(i) for i in items if i.isdigit()]
    return {
        "clusters": {c.code: c for c in clusters_in_scope(user).filter(code__in=codes)},
        "bsos": {b.code: b for b in BSO.objects.filter(code__in=bsos)},
        "items": {
            str(i.pk): i
            for i in ActionItem.objects.filter(pk__in=item_ids).select_related("committee")
        },
    }


def activities_import(*, file, user) -> ImportResult:
    """Log every activity of the spreadsheet, or none; say what is wrong in which row."""
    require_activity_writer(user, None)  # a reader learns that before anything about the file
    try:
        rows = _rows(*_read(file))
    except _Refused as refusal:
        return ImportResult(errors=[ImportProblem(str(refusal))])
    refs = _references(user, rows)
    problems: list[ImportProblem] = []
    saved = 0
    try:
        with transaction.atomic():
            for number, raw in rows:
                data, row_problems = _row_data(number, raw, refs)
                if row_problems:
                    problems.extend(row_problems)
                    problems.extend(_field_problems(number, data, row_problems))
                    continue
                try:
                    with transaction.atomic():
                        activity_create(data=data, user=user)
                        saved += 1
                except ValidationError as error:
                    problems.extend(_service_problems(number, error))
                except PermissionDenied as error:
                    problems.append(ImportProblem(str(error), number))
            if problems:
                raise _Discard
    except _Discard:
        return ImportResult(errors=problems)
    return ImportResult(saved=saved)


def _field_problems(number: int, data: dict, known: list[ImportProblem]) -> list[ImportProblem]:
    """The model's own field checks on the cells that could be read, so that a row with one
    unreadable cell still has its other problems listed (nothing is saved here)."""
    failed = {problem.field for problem in known}
    fields = {k: v for k, v in data.items() if k not in failed and v is not None}
    try:
        Activity(**fields).full_clean(
            exclude=[*failed, "cluster", "bso"], validate_unique=False, validate_constraints=False
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


# --- The template -----------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty activities sheet with the column keys, a type list, and the instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    sheet.append(KEYS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 16
    types = book.create_sheet(_("Types")[:31])
    types.append([_("Code"), _("Type")])
    for choice in ActivityType:
        types.append([choice.value, str(choice.label)])
    types.column_dimensions["A"].width = 24
    types.column_dimensions["B"].width = 44
    column = sheet.cell(row=1, column=KEYS.index("type") + 1).column_letter
    validation = DataValidation(
        type="list",
        formula1=f"'{types.title}'!$A$2:$A${len(ActivityType) + 1}",
        allow_blank=True,
    )
    validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
    sheet.add_data_validation(validation)
    help_sheet = book.create_sheet(_("Instructions")[:31])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["B"].width = 90
    help_sheet.append([_("Column"), _("What to write")])
    for key, label in IMPORT_COLUMNS:
        help_sheet.append([key, str(label)])
    help_sheet.append([])
    help_sheet.append(
        [
            "",
            _(
                "One activity per row. Dates as YYYY-MM-DD. Costs and counts left empty are 0. "
                "If any row is wrong, nothing is imported: the page lists every problem by row."
            ),
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
