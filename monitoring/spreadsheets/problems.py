"""What every spreadsheet round trip of monitoring says back: a problem (in a cell, a row or the
whole file), named with monitoring's field names, and the result of an upload (core.sheets holds
both for every import; what an uploaded file may be is core.uploads)."""

from django.utils.translation import gettext_lazy

from core.sheets import ImportProblem as SheetProblem
from core.sheets import ImportResult

__all__ = ["FIELD_NAMES", "ImportProblem", "ImportResult"]

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


class ImportProblem(SheetProblem):
    """One thing wrong with a report or activity upload. (The activity import says its problems
    with it too.)"""

    def field_label(self) -> str:
        return str(FIELD_NAMES.get(self.field, self.field))
