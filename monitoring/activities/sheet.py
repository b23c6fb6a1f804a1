"""Reading an activity spreadsheet (XLSX or CSV): the file to rows (core.sheets reads any
spreadsheet), and cells to values.

A file that cannot be read, or whose header lacks a required column, is refused as a whole
(ImportRefused), never half read.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import override

from core.sheets import SheetRefused, cell_date, header_columns, sheet_table
from monitoring.activities.template import IMPORT_COLUMNS, KEYS, MAX_ROWS, REQUIRED
from monitoring.models.activities import ActivityType
from monitoring.spreadsheets.cells import float_text

__all__ = ["ImportRefused", "activity_rows", "cell_date"]

# A whole number this long is no count of people (and int() of 1E999999999 would not end).
MAX_WHOLE_DIGITS = 100

ImportRefused = SheetRefused  # the file as a whole cannot be read (core.sheets reads it)


def _not_a_sheet() -> str:
    return _("Upload the activities as an .xlsx or a .csv file.")


def _rows(table: list[tuple[int, list]]) -> list[tuple[int, dict]]:
    columns = header_columns(table[0][1], IMPORT_COLUMNS, REQUIRED)
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


# --- Turning a row into the service's data ----------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return float_text(value)
    return str(value).strip()


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
    return _rows(sheet_table(file, wrong_kind=_not_a_sheet(), max_columns=len(KEYS) + 10))
