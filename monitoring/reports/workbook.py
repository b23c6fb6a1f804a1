"""A report as an XLSX workbook: its layout, and one built pre-filled for download.

The rules of the round trip, without HTTP (the pages are in `views_spreadsheet`):

- `report_workbook` writes one sheet: a header block (cluster, period, state, when it was
  made), a hidden machine row (report id, cluster code, period) and one row per KPI in
  scorecard order, pre-filled with the current values and each value's revision (hidden
  column). Where KPIs of the report are split by age group, firm size or ownership, a column
  per part follows (key `splits.<dimension>.<category>`, as the service names its errors).
  Cells that do not apply to a KPI's unit are grey, empty and locked; input cells
  are unlocked; the sheet is protected without a password, so the keys stay put but a user
  who must can still unprotect it.
- `report_import` reads such a workbook back and hands every row to
  `report_record_values`, which checks all the values and saves all or nothing. Its errors
  come back row by row ("Row 12, denominator: ..."), with a copy of the uploaded workbook
  whose bad cells are red and carry a comment.

Reading a workbook back is `monitoring.spreadsheet_import`.
"""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from monitoring.models import Measurement, Report
from monitoring.values import FOUR_PLACES, MAX_MAGNITUDE
from scorecards.models import KPI, AgeGroup, Dimension, OwnKPI, TemplateKPI, categories

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The machine row: a marker, then report id, cluster code, period label, format version.
MARKER = "clusterboard-report"
FORMAT_VERSION = 1
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
SPLIT_PREFIX = "splits."
# The reader looks this many columns past the fixed ones for parts (and a few spare).
MAX_SPLIT_COLUMNS = 60


def split_key(dimension: str, category: str) -> str:
    return f"{SPLIT_PREFIX}{dimension}.{category}"


def split_columns(measurements: list[Measurement]) -> list[tuple[str, str, int]]:
    """(key, label, width) of a column per part of the dimensions (sex aside) that the
    report's KPIs are split by, after the fixed columns; none when no KPI is split so."""
    dimensions = {d for m in measurements for d in m.kpi.split_dimensions if d != Dimension.SEX}
    age_groups = list(AgeGroup.objects.filter(active=True)) if Dimension.AGE in dimensions else []
    columns = []
    for dimension in Dimension.values:
        if dimension not in dimensions:
            continue
        legend = Dimension(dimension).label
        for category, label in categories(dimension, age_groups=age_groups):
            columns.append((split_key(dimension, category), f"{legend}: {label}", 14))
    return columns[:MAX_SPLIT_COLUMNS]


GREY = PatternFill("solid", start_color="D9D9D9")
HEADER_FILL = PatternFill("solid", start_color="DDE3EA")
INPUT_FILL = PatternFill("solid", start_color="FFFFFF")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


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
    measurements = list(report.measurements.select_related("kpi").prefetch_related("splits"))
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

    rows = report_rows(report)
    columns = [*COLUMNS, *split_columns(rows)]
    for column, (key, label, width) in enumerate(columns, start=1):
        sheet.cell(row=KEYS_ROW, column=column, value=key)
        cell = sheet.cell(row=LABELS_ROW, column=column, value=str(label))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[KEYS_ROW].hidden = True
    sheet.column_dimensions[get_column_letter(COLUMN_INDEX["revision"])].hidden = True

    validations = _validations()
    parts = {key: index for index, (key, _l, _w) in enumerate(columns, start=1)}
    parts = {key: index for key, index in parts.items() if key.startswith(SPLIT_PREFIX)}
    for row, measurement in enumerate(rows, start=FIRST_DATA_ROW):
        _write_row(sheet, row, measurement, validations)
        _write_parts(sheet, row, measurement, parts, validations)
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


def _write_parts(sheet, row: int, measurement: Measurement, columns: dict, validations) -> None:
    """A value's parts in their columns: white where its KPI is split by the dimension."""
    asked_for = measurement.kpi.split_dimensions
    stored = measurement.parts
    for key, column in columns.items():
        dimension, category = key.removeprefix(SPLIT_PREFIX).split(".", 1)
        cell = sheet.cell(row=row, column=column)
        if dimension not in asked_for:
            cell.fill = GREY
            continue
        cell.value = _number(stored.get(dimension, {}).get(category))
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        validations["count"].add(cell)
