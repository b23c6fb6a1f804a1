"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of cells, for imports of rooms that
know nothing of monitoring's spreadsheets (the firm registry): the file is checked by content
(core.uploads), a CSV read as UTF-8, else Windows-1252, with the delimiter its first line uses;
a file that cannot be read is refused as a whole (SheetRefused), never half read.
(monitoring.activities.sheet reads the activity import the same way, with its own messages.)
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.uploads import UploadRefused, upload_check

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class SheetRefused(Exception):
    """The file as a whole cannot be read; `str()` says why."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with an import: in a cell (row and column), a row, or the whole file."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)d, %(field)s: %(message)s") % {
                "row": self.row,
                "field": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


def sheet_table(file, *, max_columns: int = 40) -> list[tuple[int, list]]:
    """(row number, cell values) of the first sheet of an .xlsx or of a .csv file."""
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
    if name and name.endswith(".xlsx") != (kind == "xlsx"):
        raise SheetRefused(_not_a_sheet())
    try:
        upload_check(data, kind=kind)
    except UploadRefused as refusal:
        if refusal.reason == "content":
            raise SheetRefused(_not_a_sheet()) from None
        if refusal.reason != "encoding":
            raise SheetRefused(str(refusal)) from None
    return _xlsx_table(data, max_columns) if kind == "xlsx" else _csv_table(data)


def _too_big() -> str:
    return _("The file is too large: at most %(size)s MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _not_a_sheet() -> str:
    return _("Upload an .xlsx or a .csv file.")


def _xlsx_table(data: bytes, max_columns: int) -> list[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(max_col=max_columns, values_only=True)
            return [(number, list(values)) for number, values in enumerate(rows, start=1)]
        finally:
            workbook.close()
    except Exception:  # whatever the parser trips on, the upload is not a workbook we read
        raise SheetRefused(_("This file is not an Excel workbook (.xlsx) we can read.")) from None


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetRefused(
            _("The file's characters cannot be read: save it as “CSV UTF-8” and upload it again.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error:
        raise SheetRefused(_("This file cannot be read as CSV.")) from None


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
