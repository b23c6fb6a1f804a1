"""What a spreadsheet cell holds, as the text the services parse: shared by the report
workbook's import (monitoring.spreadsheet_import) and the activity import.

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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from monitoring.values import FOUR_PLACES, MAX_MAGNITUDE

YES_WORDS = {"yes", "true", "sí", "si"}
NO_WORDS = {"no", "false"}


def formula_message() -> str:
    return _("Formulas are not read; type the number.")


def note_text(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return float_text(value)
    return str(value)


def cell_number(value, kind: str, *, yes_no: bool) -> str | None:
    """A cell's content as text for the service to parse (None when empty); ValueError with a
    message for what a number cell cannot hold."""
    if kind == "f?":
        raise ValueError(formula_message())
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
        return float_text(value)
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


def float_text(number: float) -> str:
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
