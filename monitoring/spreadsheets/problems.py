"""What every spreadsheet round trip says back: a problem (in a cell, a row or the whole file) and
the result of an upload. (What an uploaded file may be is core.uploads.)"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload: in a cell (row and field), a row, or the whole file.
    (The activity import says its problems with it too.)"""

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
