"""Reading an activity spreadsheet (XLSX or CSV): the file to rows, and cells to values.

A CSV is read as UTF-8, else Windows-1252; a file that is neither, or that the csv module
cannot split, is refused as a whole (ImportRefused), never half read.
"""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from core.uploads import UploadRefused, upload_check
from monitoring.activities.template import IMPORT_COLUMNS, KEYS, MAX_ROWS, REQUIRED
from monitoring.models.activities import ActivityType
from monitoring.spreadsheets.cells import float_text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A whole number this long is no count of people (and int() of 1E999999999 would not end).
MAX_WHOLE_DIGITS = 100


class ImportRefused(Exception):
    """The file as a whole cannot be read."""


def _read(file) -> tuple[str, bytes]:
    name = (getattr(file, "name", "") or "").lower()
    if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
        raise ImportRefused(_too_big())
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(_too_big())
    if not data:
        raise ImportRefused(_("The file is empty."))
    kind = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    misnamed = bool(name) and name.endswith(".xlsx") != (kind == "xlsx")
    if misnamed:
        raise ImportRefused(_not_a_sheet())
    try:
        upload_check(data, kind=kind)  # by content: text or a workbook's parts; what it unpacks to
    except UploadRefused as refusal:
        if refusal.reason == "content":
            raise ImportRefused(_not_a_sheet() if kind == "csv" else _not_xlsx()) from None
        if refusal.reason != "encoding":  # said better where the text is read (_csv_text)
            raise ImportRefused(str(refusal)) from None
    return kind, data


def _not_xlsx() -> str:
    return _("This file is not an Excel workbook (.xlsx) we can read.")


def _not_a_sheet() -> str:
    return _("Upload the activities as an .xlsx or a .csv file.")


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
        raise ImportRefused(
            _("The first row must name the columns; missing: %(keys)s. Start from the template.")
            % {"keys": ", ".join(missing)}
        )
    return columns


def _rows(kind: str, data: bytes) -> list[tuple[int, dict]]:
    table = _xlsx_table(data) if kind == "xlsx" else _csv_table(data)
    if not table:
        raise ImportRefused(_("The file has no rows."))
    columns = _header_keys(table[0][1])
    rows = []
    for number, values in table[1:]:
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            continue
        rows.append((number, raw))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(_("Import at most %(n)d activities at a time.") % {"n": MAX_ROWS})
    if not rows:
        raise ImportRefused(_("The file has no activities below its first row."))
    return rows


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    try:
        formulas = _xlsx_values(data, data_only=False)
        has_formula = any(
            isinstance(v, str) and v.startswith("=") for _n, row in formulas for v in row
        )
        table = _xlsx_values(data, data_only=True) if has_formula else formulas
    except Exception:  # whatever the parser trips on, the upload is not a workbook we read
        raise ImportRefused(_not_xlsx()) from None
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


def _csv_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Some bytes mean nothing in either (cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined).
    raise ImportRefused(
        _(
            "The file's characters cannot be read: it is neither UTF-8 nor Windows-1252 text. "
            "Save it as “CSV UTF-8” (or as an .xlsx workbook) and upload it again."
        )
    )


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    text = _csv_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error:  # a NUL character, a cell longer than the csv module reads...
        raise ImportRefused(
            _("This file cannot be read as CSV. Start from the template and save it as CSV.")
        ) from None


# --- Turning a row into the service's data ----------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return float_text(value)
    return str(value).strip()


def cell_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))


def type_names() -> dict[str, str]:
    """Code, label and English label of each type (lower case) -> the code; the first type
    that has a name wins, as when the names were tried one type after the other."""
    names: dict[str, str] = {}
    for choice in ActivityType:
        with override("en"):
            english = str(choice.label).lower()
        for name in (choice.value, str(choice.label).lower(), english):
            names.setdefault(name, choice.value)
    return names


def cell_type(value, names: dict[str, str]) -> str:
    code = names.get(cell_text(value).lower())
    if code is None:
        raise ValueError(_("Unknown type; use one of the codes listed in the template."))
    return code


def cell_whole(value) -> int:
    text = cell_text(value)
    if text == "":
        return 0
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("A whole number, zero or more.")) from None
    if (
        not number.is_finite()
        or number.adjusted() >= MAX_WHOLE_DIGITS
        or number != number.to_integral_value()
        or number < 0
    ):
        raise ValueError(_("A whole number, zero or more."))
    return int(number)


def cell_money(value) -> Decimal:
    text = cell_text(value).replace(" ", "").replace("\u00a0", "")
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


def activity_rows(*, file) -> list[tuple[int, dict]]:
    """The file's activity rows (row number, column key -> cell); ImportRefused says why the
    file as a whole cannot be read (not a spreadsheet, too large, no header, too many rows)."""
    return _rows(*_read(file))
