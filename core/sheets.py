"""Reading an uploaded spreadsheet (XLSX or CSV) into rows, and what an import says back: the
part every spreadsheet import shares (the activity log's, the exchange rates'), whatever its
columns mean. (What an uploaded file may be, by its content, is core.uploads.)

A CSV is read as UTF-8, else Windows-1252, split on the commonest of `,` `;` and tab in its
first line; a workbook is read from its first sheet, and a formula counts with the value Excel
last computed. A file that cannot be read is refused as a whole (SheetRefused), never half read.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from core.uploads import UploadRefused, upload_check

MAX_UPLOAD_BYTES = 2 * 1024 * 1024

Table = list[tuple[int, list]]  # (spreadsheet row number, the row's cells)


class SheetRefused(Exception):
    """The file as a whole cannot be read; `str()` says why, for the person who sent it."""


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload: in a cell (row and field), a row, or the whole file."""

    message: str
    row: int | None = None
    field: str | None = None

    def field_label(self) -> str:
        """How the field is named in the message; an import may name its fields in words."""
        return str(self.field)

    def __str__(self) -> str:
        if self.row and self.field:
            return _("Row %(row)d, %(field)s: %(message)s") % {
                "row": self.row,
                "field": self.field_label(),
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ImportResult:
    """What an upload did: how many rows it saved, or why it saved none (`errors`), with the
    uploaded workbook annotated (bad cells red, with a comment) when errors point at cells."""

    saved: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    annotated: bytes | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def sheet_table(file, *, wrong_kind: str, max_columns: int) -> Table:
    """Every row of the file's first sheet, numbered as the spreadsheet numbers them.
    `wrong_kind` is what to say when the file is neither a CSV nor a workbook (it names what the
    import expects); SheetRefused says why the file as a whole cannot be read."""
    kind, data = _read(file, wrong_kind=wrong_kind)
    table = _xlsx_table(data, max_columns) if kind == "xlsx" else _csv_table(data)
    if not table:
        raise SheetRefused(_("The file has no rows."))
    return table


def header_columns(header: list, columns, required) -> dict[int, str]:
    """Column index -> key, from the header row: each of `columns` ((key, label) pairs) is
    known by its key, its label in the current language, or its English label."""
    names = {}
    for key, label in columns:
        names[key] = key
        names[str(label).lower()] = key
        with override("en"):
            names[str(label).lower()] = key  # the English label, whatever the language
    found = {}
    for index, value in enumerate(header):
        key = names.get(str(value or "").strip().lower())
        if key:
            found[index] = key
    missing = [k for k in required if k not in found.values()]
    if missing:
        raise SheetRefused(
            _("The first row must name the columns; missing: %(keys)s. Start from the template.")
            % {"keys": ", ".join(missing)}
        )
    return found


def cell_date(value) -> datetime.date:
    """A date cell, or text as YYYY-MM-DD or DD/MM/YYYY; ValueError says how to write it."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = "" if value is None else str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))


def _read(file, *, wrong_kind: str) -> tuple[str, bytes]:
    name = (getattr(file, "name", "") or "").lower()
    if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
        raise SheetRefused(_too_big())
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise SheetRefused(_too_big())
    if not data:
        raise SheetRefused(_("The file is empty."))
    kind = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    misnamed = bool(name) and name.endswith(".xlsx") != (kind == "xlsx")
    if misnamed:
        raise SheetRefused(wrong_kind)
    try:
        upload_check(data, kind=kind)  # by content: text or a workbook's parts; what it unpacks to
    except UploadRefused as refusal:
        if refusal.reason == "content":
            raise SheetRefused(wrong_kind if kind == "csv" else _not_xlsx()) from None
        if refusal.reason != "encoding":  # said better where the text is read (_csv_text)
            raise SheetRefused(str(refusal)) from None
    return kind, data


def _not_xlsx() -> str:
    return _("This file is not an Excel workbook (.xlsx) we can read.")


def _too_big() -> str:
    return _("The file is too large: at most %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _xlsx_table(data: bytes, max_columns: int) -> Table:
    try:
        formulas = _xlsx_values(data, max_columns, data_only=False)
        has_formula = any(
            isinstance(v, str) and v.startswith("=") for _n, row in formulas for v in row
        )
        table = _xlsx_values(data, max_columns, data_only=True) if has_formula else formulas
    except Exception:  # whatever the parser trips on, the upload is not a workbook we read
        raise SheetRefused(_not_xlsx()) from None
    return table


def _xlsx_values(data: bytes, max_columns: int, *, data_only: bool) -> Table:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(values))
            for number, values in enumerate(
                sheet.iter_rows(max_col=max_columns, values_only=True), start=1
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
    raise SheetRefused(
        _(
            "The file's characters cannot be read: it is neither UTF-8 nor Windows-1252 text. "
            "Save it as “CSV UTF-8” (or as an .xlsx workbook) and upload it again."
        )
    )


def _csv_table(data: bytes) -> Table:
    text = _csv_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error:  # a NUL character, a cell longer than the csv module reads...
        raise SheetRefused(
            _("This file cannot be read as CSV. Start from the template and save it as CSV.")
        ) from None


def cell_text(value) -> str:
    """A cell as text: empty for none, whole floats without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
