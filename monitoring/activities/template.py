"""The activity spreadsheet's layout (its columns) and the empty template to fill in."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from monitoring.models.activities import ActivityType

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
