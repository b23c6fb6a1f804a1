"""A report spreadsheet with parts: a column per part of the dimensions the report's KPIs are
split by, pre-filled, read back on upload, flagged when they do not add up."""

import io

import pytest
from openpyxl import load_workbook

from monitoring.models import Flag, Measurement, MeasurementSplit
from monitoring.reports.upload import report_import
from monitoring.reports.workbook import FIRST_DATA_ROW, KEYS_ROW, report_workbook
from scorecards.models import KPI
from tests.monitoring.test_rollup_splits import age_groups

CODE = "thai-skills-participants"  # a count split by sex in the Thai Food scorecard


@pytest.fixture
def split_report(thai):
    age_groups()
    KPI.objects.filter(code=CODE).update(by_age=True)
    return thai.report


def keys(sheet) -> dict[str, int]:
    return {c.value: c.column for c in sheet[KEYS_ROW] if c.value}


def row_of(sheet, code) -> int:
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(code)


def test_a_report_without_such_splits_has_no_part_columns(thai):
    sheet = load_workbook(io.BytesIO(report_workbook(thai.report))).worksheets[0]
    assert not [k for k in keys(sheet) if k.startswith("splits.")]


def test_parts_go_out_pre_filled_and_come_back_flagged_when_they_do_not_add_up(thai, split_report):
    kpi_id = KPI.objects.get(code=CODE).pk
    thai_user = thai.users["bso_staff"]
    workbook = load_workbook(io.BytesIO(report_workbook(split_report)))
    sheet = workbook.worksheets[0]
    columns = keys(sheet)
    assert [k for k in columns if k.startswith("splits.")] == [
        "splits.age.youth",
        "splits.age.25-34",
        "splits.age.35-plus",
    ]
    row = row_of(sheet, CODE)
    # another KPI's part cells are grey and empty
    other = row_of(sheet, "thai-npl")
    assert sheet.cell(row=other, column=columns["splits.age.youth"]).fill.start_color.rgb.endswith(
        "D9D9D9"
    )
    # women 12 + men 9 = 21; youth 10 + 25-34 10 = 20 (35+ empty): flagged, not refused
    for field, value in {
        "value_women": 12,
        "value_men": 9,
        "splits.age.youth": 10,
        "splits.age.25-34": 10,
    }.items():
        sheet.cell(row=row, column=columns[field]).value = value
    out = io.BytesIO()
    workbook.save(out)
    result = report_import(report=split_report, file=out.getvalue(), user=thai_user)
    assert result.errors == []
    m = Measurement.objects.get(report=split_report, kpi_id=kpi_id)
    assert m.parts == {"age": {"youth": 10, "25-34": 10}}
    assert Flag.objects.get(measurement=m).message == "parts add up to age group 20, total 21"
    # and the next download carries them
    again = load_workbook(io.BytesIO(report_workbook(split_report))).worksheets[0]
    assert again.cell(row=row, column=columns["splits.age.youth"]).value == 10


def test_a_part_given_for_a_kpi_not_split_so_is_refused_at_its_cell(thai, split_report):
    workbook = load_workbook(io.BytesIO(report_workbook(split_report)))
    sheet = workbook.worksheets[0]
    columns = keys(sheet)
    sheet.cell(row=row_of(sheet, "thai-npl"), column=columns["splits.age.youth"]).value = 3
    out = io.BytesIO()
    workbook.save(out)
    result = report_import(report=split_report, file=out.getvalue(), user=thai.users["bso_staff"])
    assert [(p.field, p.message) for p in result.errors] == [
        ("splits.age.youth", "This cell does not apply to this KPI: leave it empty.")
    ]
    assert not MeasurementSplit.objects.exists()
