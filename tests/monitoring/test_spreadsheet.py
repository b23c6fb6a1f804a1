"""The report spreadsheet round trip: download pre-filled, fill in, upload all or nothing."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.errors import PermissionDenied
from monitoring.models import Measurement
from monitoring.reports.services import report_open, report_record_values, report_transition
from monitoring.reports.upload import MAX_UPLOAD_BYTES, report_import
from monitoring.reports.workbook import (
    COLUMN_INDEX,
    FIRST_DATA_ROW,
    LABELS_ROW,
    XLSX_CONTENT_TYPE,
    report_workbook,
)
from monitoring.spreadsheets.problems import ImportProblem
from scorecards.models import KPI, Period, Template, TemplateKPI
from scorecards.services import scorecard_adopt

RED = "00FFC7CE"


# --- Helpers ---------------------------------------------------------------------------------


def kpi(code):
    return KPI.objects.get(code=code)


def measurement(report, code):
    return Measurement.objects.get(report=report, kpi__code=code)


def revisions(report):
    return dict(report.measurements.values_list("kpi__code", "revision"))


def signed_in(client, world, role="bso_staff"):
    client.force_login(world.users[role])
    return client


def download(client, report):
    response = client.get(reverse("report-xlsx", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def upload(client, report, content, name="report.xlsx"):
    return client.post(
        reverse("report-upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)},
    )


def row_of(sheet, code):
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"{code} is not in the sheet")


def cell(sheet, code, field):
    return sheet.cell(row=row_of(sheet, code), column=COLUMN_INDEX[field])


def filled(content, values):
    """The workbook with cells set: {kpi code: {field: value}}."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for code, fields in values.items():
        for field, value in fields.items():
            cell(sheet, code, field).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_of(content):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def record(world, report, rows, user="bso_staff"):
    report_record_values(
        report=report,
        rows={kpi(code).pk: raw for code, raw in rows.items()},
        user=world.users[user],
    )


def fill_everything(world, report):
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[m.kpi.code] = {"numerator": "1", "denominator": "10"}
        elif m.kpi.by_sex:
            rows[m.kpi.code] = {"value_women": "3", "value_men": "2"}
        else:
            rows[m.kpi.code] = {"value": "1"}
    record(world, report, rows)


def import_(world, report, content, user="bso_staff"):
    return report_import(report=report, file=content, user=world.users[user])


@pytest.fixture
def year_report(thai):
    return report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=0))


GOOD = {
    "thai-staff-turnover": {"numerator": 3, "denominator": 40},
    "thai-skills-participants": {"value_women": 12, "value_men": 9},
    "thai-npl": {"value": 4, "note": "Two firms refinanced"},
}


# --- Download ----------------------------------------------------------------------------------


def test_the_spreadsheet_urls_reach_the_spreadsheet_views(thai):
    # /reports/<pk>/<slug:action>/ (report-action) must not swallow xlsx/ and upload/.
    assert resolve(f"/reports/{thai.report.pk}/xlsx/").url_name == "report-xlsx"
    assert resolve(f"/reports/{thai.report.pk}/upload/").url_name == "report-upload"


def test_the_download_is_an_xlsx_named_after_the_cluster_and_period(client, thai):
    response = signed_in(client, thai).get(reverse("report-xlsx", args=[thai.report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="mendoza-wine-2025-Q1.xlsx"' in response["Content-Disposition"]
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_the_download_lists_the_reports_kpis_in_scorecard_order(client, thai):
    sheet = sheet_of(download(signed_in(client, thai), thai.report))

    codes = [
        sheet.cell(row=row, column=1).value for row in range(FIRST_DATA_ROW, sheet.max_row + 1)
    ]
    quarterly = set(thai.report.measurements.values_list("kpi__code", flat=True))
    in_order = [
        placement.kpi.code
        for placement in TemplateKPI.objects.filter(csf__perspective__template__code="thai-food")
        .select_related("kpi")
        .order_by("csf__perspective__order", "csf__order", "order")
        if placement.kpi.code in quarterly
    ]
    assert codes == in_order
    assert codes[:3] == ["thai-business-plans", "thai-npl", "thai-buying-consortia"]


def test_the_download_is_prefilled_with_the_current_values(client, thai):
    record(
        thai, thai.report, {code: {k: str(v) for k, v in raw.items()} for code, raw in GOOD.items()}
    )

    sheet = sheet_of(download(signed_in(client, thai), thai.report))

    assert cell(sheet, "thai-staff-turnover", "numerator").value == 3
    assert cell(sheet, "thai-staff-turnover", "denominator").value == 40
    assert cell(sheet, "thai-skills-participants", "value").value == 21
    assert cell(sheet, "thai-skills-participants", "value_women").value == 12
    assert cell(sheet, "thai-npl", "note").value == "Two firms refinanced"
    assert cell(sheet, "thai-npl", "revision").value == 1
    assert cell(sheet, "thai-lean", "value").value is None


def test_cells_that_do_not_apply_to_a_kpi_are_grey_empty_and_locked(client, thai):
    sheet = sheet_of(download(signed_in(client, thai), thai.report))

    ratio_value = cell(sheet, "thai-staff-turnover", "value")
    count_numerator = cell(sheet, "thai-lean", "numerator")
    for grey in (ratio_value, count_numerator):
        assert grey.value is None
        assert grey.fill.fgColor.rgb == "00D9D9D9"
        assert grey.protection.locked
    assert not cell(sheet, "thai-staff-turnover", "numerator").protection.locked
    assert not cell(sheet, "thai-lean", "note").protection.locked


def test_the_sheet_is_protected_with_the_key_columns_locked_and_revision_hidden(client, thai):
    sheet = sheet_of(download(signed_in(client, thai), thai.report))

    assert sheet.protection.sheet
    assert cell(sheet, "thai-lean", "code").protection.locked
    assert sheet.column_dimensions["K"].hidden
    assert sheet.cell(row=LABELS_ROW, column=COLUMN_INDEX["revision"]).value == "Revision"


def test_the_how_to_fill_column_says_what_each_kpi_takes(client, thai, year_report):
    quarter = sheet_of(download(signed_in(client, thai), thai.report))
    year = sheet_of(download(client, year_report))

    assert "numerator and denominator" in cell(quarter, "thai-waste", "how").value.lower()
    assert "women + men" in cell(quarter, "thai-skills-participants", "how").value.lower()
    assert cell(year, "thai-communications-plan", "how").value == "1 = yes, 0 = no"


def test_yes_no_kpis_get_a_yes_no_dropdown(client, thai, year_report):
    sheet = sheet_of(download(signed_in(client, thai), year_report))

    target = cell(sheet, "thai-communications-plan", "value").coordinate
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [v.formula1 for v in lists] == ['"1,0"']
    assert target in lists[0].sqref


def test_the_download_takes_a_fixed_number_of_queries(client, thai, django_assert_max_num_queries):
    signed_in(client, thai).get(reverse("report-xlsx", args=[thai.report.pk]))  # warm session

    with django_assert_max_num_queries(8):
        download(client, thai.report)


def test_a_note_that_looks_like_a_formula_stays_text_and_round_trips(client, thai):
    record(thai, thai.report, {"thai-lean": {"value": "1", "note": '=HYPERLINK("http://x")'}})
    before = revisions(thai.report)
    content = download(signed_in(client, thai), thai.report)

    assert cell(sheet_of(content), "thai-lean", "note").data_type == "s"
    assert import_(thai, thai.report, content).saved == 0
    assert revisions(thai.report) == before


def test_a_note_with_a_control_character_still_downloads(client, thai):
    record(thai, thai.report, {"thai-lean": {"value": "1", "note": "bell\x07 rang"}})

    sheet = sheet_of(download(signed_in(client, thai), thai.report))

    assert cell(sheet, "thai-lean", "note").value == "bell rang"


def test_the_header_labels_are_translated(thai):
    with translation.override("es"):
        sheet = sheet_of(report_workbook(thai.report))

    assert sheet["A2"].value == "Clúster"
    assert sheet.cell(row=LABELS_ROW, column=COLUMN_INDEX["value_women"]).value == "Mujeres"


def test_a_workbook_downloaded_in_spanish_uploads_in_english(thai):
    with translation.override("es"):
        content = filled(report_workbook(thai.report), {"thai-lean": {"value": 2}})

    result = import_(thai, thai.report, content)

    assert result.ok, [str(e) for e in result.errors]
    assert measurement(thai.report, "thai-lean").value == 2


# --- Upload through the page -----------------------------------------------------------------


def test_the_upload_page_explains_the_steps_and_links_the_download(client, thai):
    response = signed_in(client, thai).get(reverse("report-upload", args=[thai.report.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("report-xlsx", args=[thai.report.pk]) in content
    assert 'type="file"' in content
    assert 'enctype="multipart/form-data"' in content


def test_uploading_the_downloaded_workbook_unchanged_changes_nothing(client, thai):
    record(thai, thai.report, {"thai-lean": {"value": "3"}})
    before = revisions(thai.report)
    content = download(signed_in(client, thai), thai.report)

    response = upload(client, thai.report, content)

    assert response.status_code == 302
    assert response["Location"] == f"/reports/{thai.report.pk}/"
    page = client.get(reverse("report-upload", args=[thai.report.pk]))
    assert "Nothing changed" in page.content.decode()
    assert revisions(thai.report) == before


def test_values_filled_in_the_workbook_are_saved(client, thai):
    content = filled(download(signed_in(client, thai), thai.report), GOOD)

    response = upload(client, thai.report, content)

    assert response.status_code == 302
    assert "3 values saved." in client.get(response["Location"]).content.decode()
    turnover = measurement(thai.report, "thai-staff-turnover")
    assert (turnover.numerator, turnover.denominator, turnover.value) == (3, 40, None)
    skills = measurement(thai.report, "thai-skills-participants")
    assert (skills.value_women, skills.value_men, skills.value) == (12, 9, 21)
    npl = measurement(thai.report, "thai-npl")
    assert (npl.value, npl.note, npl.updated_by) == (
        4,
        "Two firms refinanced",
        thai.users["bso_staff"],
    )


def test_yes_no_and_ratio_values_of_the_year_report_are_saved(client, thai, year_report):
    content = filled(
        download(signed_in(client, thai), year_report),
        {
            "thai-communications-plan": {"value": 1},
            "thai-customer-satisfaction": {"numerator": 45, "denominator": 60},
        },
    )

    assert upload(client, year_report, content).status_code == 302

    assert measurement(year_report, "thai-communications-plan").value == 1
    satisfaction = measurement(year_report, "thai-customer-satisfaction")
    assert (satisfaction.numerator, satisfaction.denominator) == (45, 60)


def test_uploading_the_same_filled_file_twice_changes_nothing_the_second_time(client, thai):
    content = filled(download(signed_in(client, thai), thai.report), GOOD)
    upload(client, thai.report, content)
    after_first = revisions(thai.report)

    response = upload(client, thai.report, content)

    assert response.status_code == 302
    assert "Nothing changed" in client.get(response["Location"]).content.decode()
    assert revisions(thai.report) == after_first


@pytest.mark.parametrize(
    "code, field, bad, says",
    [
        ("thai-lean", "value", "many", "is not a number"),
        ("thai-lean", "value", "NaN", "finite number"),
        ("thai-lean", "value", "inf", "finite number"),
        ("thai-lean", "value", -3, "whole number, zero or more"),
        ("thai-staff-turnover", "denominator", 0, "greater than zero"),
        ("thai-lean", "value", 1e15, "implausibly large"),
    ],
)
def test_one_bad_row_among_good_ones_saves_nothing_and_names_the_row_and_field(
    client, thai, code, field, bad, says
):
    blank = download(signed_in(client, thai), thai.report)
    content = filled(blank, {**GOOD, code: {**GOOD.get(code, {}), field: bad}})
    row = row_of(sheet_of(content), code)
    before = revisions(thai.report)

    response = upload(client, thai.report, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Row {row}, {field}: " in page
    assert says in page
    assert "Nothing was saved" in page
    assert revisions(thai.report) == before
    assert measurement(thai.report, "thai-npl").value is None


def test_the_annotated_workbook_marks_the_bad_cell_red_with_a_comment(client, thai):
    content = filled(
        download(signed_in(client, thai), thai.report),
        {**GOOD, "thai-waste": {"numerator": 2, "denominator": 0}},
    )
    response = upload(client, thai.report, content)
    link = response.context["annotated_url"]

    annotated = client.get(link)

    assert annotated.status_code == 200
    assert annotated["Content-Type"] == XLSX_CONTENT_TYPE
    assert "mendoza-wine-2025-Q1-errors.xlsx" in annotated["Content-Disposition"]
    sheet = sheet_of(annotated.content)
    bad = cell(sheet, "thai-waste", "denominator")
    assert bad.fill.fgColor.rgb == RED
    assert "greater than zero" in bad.comment.text
    good = cell(sheet, "thai-waste", "numerator")
    assert good.fill.fgColor.rgb != RED
    assert good.comment is None


def test_the_annotated_workbook_is_only_given_to_the_session_that_uploaded_it(client, thai):
    content = filled(download(signed_in(client, thai), thai.report), {"thai-lean": {"value": -1}})
    link = upload(client, thai.report, content).context["annotated_url"]

    client.force_login(thai.users["admin"])  # a new session

    assert client.get(link).status_code == 404


def test_the_annotated_workbook_corrected_and_uploaded_again_is_saved(client, thai):
    content = filled(
        download(signed_in(client, thai), thai.report),
        {**GOOD, "thai-waste": {"numerator": 2, "denominator": 0}},
    )
    annotated = client.get(upload(client, thai.report, content).context["annotated_url"])

    response = upload(
        client, thai.report, filled(annotated.content, {"thai-waste": {"denominator": 8}})
    )

    assert response.status_code == 302
    assert measurement(thai.report, "thai-waste").denominator == 8
    assert measurement(thai.report, "thai-npl").value == 4


def test_posting_the_form_without_a_file_asks_for_one(client, thai):
    response = signed_in(client, thai).post(reverse("report-upload", args=[thai.report.pk]))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_a_workbook_of_another_report_is_refused(client, thai):
    q2 = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))
    content = filled(download(signed_in(client, thai), thai.report), {"thai-lean": {"value": 2}})

    response = upload(client, q2, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This workbook is for another report" in page
    assert "2025-Q1" in page
    assert measurement(q2, "thai-lean").value is None
    assert measurement(thai.report, "thai-lean").value is None


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("values.csv", b"code,value\nthai-lean,3\n", "is not an Excel workbook (.xlsx)"),
        ("report.xlsx", b"", "file is empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel (.xls)"),
        ("notes.xlsx", None, "is not an Excel workbook (.xlsx)"),  # a zip, but not a workbook
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_gets_a_clear_error_not_a_500(
    client, thai, name, content, says
):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        content = buffer.getvalue()

    response = upload(signed_in(client, thai), thai.report, content, name=name)

    assert response.status_code == 200
    assert says in response.content.decode()


def test_a_workbook_that_is_not_a_report_spreadsheet_is_refused(client, thai):
    workbook = Workbook()
    workbook.active["A1"] = "thai-lean"
    out = io.BytesIO()
    workbook.save(out)

    response = upload(signed_in(client, thai), thai.report, out.getvalue())

    assert "not a Clusterboard report spreadsheet" in response.content.decode()


def test_a_stale_revision_gives_the_conflict_message_and_saves_nothing(client, thai):
    content = filled(download(signed_in(client, thai), thai.report), GOOD)
    record(thai, thai.report, {"thai-lean": {"value": "5"}}, user="admin")  # meanwhile

    response = upload(client, thai.report, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert "was changed by" in page
    assert "your changes were not saved" in page
    assert measurement(thai.report, "thai-lean").value == 5
    assert measurement(thai.report, "thai-npl").value is None


def test_a_submitted_report_cannot_be_changed_by_an_upload(client, thai):
    fill_everything(thai, thai.report)
    content = filled(download(signed_in(client, thai), thai.report), {"thai-lean": {"value": 7}})
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])

    response = upload(client, thai.report, content)

    assert "its values can no longer be changed" in response.content.decode()
    assert measurement(thai.report, "thai-lean").value == 1


# --- Who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_a_report_out_of_scope_answers_404_on_both_pages(client, thai, role):
    template = Template.objects.get(code="thai-food", version=1)
    scorecard_adopt(cluster=thai.outside, template=template, on=datetime.date(2024, 1, 1))
    elsewhere = report_open(cluster=thai.outside, period=thai.q1)
    signed_in(client, thai, role)

    assert client.get(reverse("report-xlsx", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("report-upload", args=[elsewhere.pk])).status_code == 404
    assert upload(client, elsewhere, b"anything").status_code == 404


def test_a_program_officer_can_download_but_not_upload(client, thai):
    content = filled(download(signed_in(client, thai, "program_officer"), thai.report), GOOD)

    page = client.get(reverse("report-upload", args=[thai.report.pk]))
    response = upload(client, thai.report, content)

    assert page.status_code == 403
    assert response.status_code == 403
    assert "Only BSO staff enter report values." in response.content.decode()
    assert measurement(thai.report, "thai-npl").value is None


def test_the_ministry_cannot_download_a_draft_report(client, thai):
    response = signed_in(client, thai, "ministry").get(
        reverse("report-xlsx", args=[thai.report.pk])
    )

    assert response.status_code == 404


def test_the_ministry_can_download_an_approved_report(client, thai):
    fill_everything(thai, thai.report)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    report_transition(report=thai.report, action="approve", user=thai.users["program_officer"])

    response = signed_in(client, thai, "ministry").get(
        reverse("report-xlsx", args=[thai.report.pk])
    )

    assert response.status_code == 200


def test_an_admin_can_upload(client, thai):
    content = filled(download(signed_in(client, thai, "admin"), thai.report), GOOD)

    assert upload(client, thai.report, content).status_code == 302
    assert measurement(thai.report, "thai-npl").value == 4


def test_anonymous_visitors_are_sent_to_sign_in(client, thai):
    response = client.get(reverse("report-xlsx", args=[thai.report.pk]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- The parser ------------------------------------------------------------------------------


def test_a_program_officer_is_refused_by_the_importer_itself(thai):
    with pytest.raises(PermissionDenied):
        import_(thai, thai.report, report_workbook(thai.report), user="program_officer")


def test_a_problem_reads_as_row_and_field():
    assert str(ImportProblem("Enter the numerator.", 12, "numerator")) == (
        "Row 12, numerator: Enter the numerator."
    )
    assert str(ImportProblem("No code.", 3)) == "Row 3: No code."
    assert str(ImportProblem("Not a workbook.")) == "Not a workbook."


def test_service_errors_point_at_the_row_and_field_of_the_kpi(thai):
    content = filled(report_workbook(thai.report), {"thai-staff-turnover": {"numerator": 3}})
    row = row_of(sheet_of(content), "thai-staff-turnover")

    result = import_(thai, thai.report, content)

    assert [(e.row, e.field) for e in result.errors] == [(row, "denominator")]
    assert str(result.errors[0]) == f"Row {row}, denominator: Enter the denominator."


def test_every_problem_of_an_upload_is_listed_at_once(thai):
    content = filled(
        report_workbook(thai.report),
        {
            "thai-lean": {"value": datetime.datetime(2025, 3, 1)},
            "thai-jit": {"value": "lots"},
            "thai-waste": {"numerator": 1, "denominator": 0},
        },
    )

    result = import_(thai, thai.report, content)

    sheet = sheet_of(content)
    rows = sorted(row_of(sheet, c) for c in ("thai-lean", "thai-jit", "thai-waste"))
    assert sorted(e.row for e in result.errors) == rows
    assert result.saved == 0


def test_empty_cells_are_no_value_and_clear_a_saved_value(thai):
    record(thai, thai.report, {"thai-lean": {"value": "3", "note": "old"}})
    content = filled(report_workbook(thai.report), {"thai-lean": {"value": None, "note": None}})

    result = import_(thai, thai.report, content)

    assert result.ok and result.saved == 1
    lean = measurement(thai.report, "thai-lean")
    assert (lean.value, lean.note) == (None, "")


@pytest.mark.parametrize(
    "typed, stored",
    [
        (0.1, Decimal("0.1")),
        (0.1 + 0.2, Decimal("0.3")),  # 0.30000000000000004: binary noise, not a value
        (1 / 3, Decimal("0.3333")),  # more decimals than kept: rounded to 4
        (2 / 3, Decimal("0.6667")),  # half up, as Excel's ROUND
        (12.5, Decimal("12.5")),
        (999999999.1234, Decimal("999999999.1234")),
    ],
)
def test_excel_floats_are_read_without_binary_noise(thai, typed, stored):
    content = filled(
        report_workbook(thai.report), {"thai-waste": {"numerator": typed, "denominator": 7}}
    )

    result = import_(thai, thai.report, content)

    assert result.ok, [str(e) for e in result.errors]
    assert measurement(thai.report, "thai-waste").numerator == stored


def test_numbers_typed_as_text_keep_the_strict_four_decimals_rule(thai):
    content = filled(
        report_workbook(thai.report), {"thai-waste": {"numerator": "0.33333", "denominator": 7}}
    )

    result = import_(thai, thai.report, content)

    assert "at most 4 decimal places" in str(result.errors[0])


def test_a_formula_never_computed_is_an_error(thai):
    content = filled(report_workbook(thai.report), {"thai-lean": {"value": "=1+2"}})

    result = import_(thai, thai.report, content)

    assert [(e.field, e.message) for e in result.errors] == [
        ("value", "Formulas are not read; type the number.")
    ]


def test_a_formula_excel_computed_counts_with_its_computed_value(thai):
    content = report_workbook(thai.report)
    coordinate = cell(sheet_of(content), "thai-lean", "value").coordinate
    content = _with_sheet_xml(
        content,
        # an empty cell: <c .../> (openpyxl's own writer) or <c ...></c> (with lxml installed)
        lambda xml: re.sub(
            rf'<c r="{coordinate}"([^>]*?)(?:/>|></c>)',
            rf'<c r="{coordinate}"\1><f>1+2</f><v>3</v></c>',
            xml,
        ),
    )

    result = import_(thai, thai.report, content)

    assert result.ok, [str(e) for e in result.errors]
    assert measurement(thai.report, "thai-lean").value == 3


def _with_sheet_xml(content, change):
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                changed = change(data.decode())
                assert changed != data.decode()
                data = changed.encode()
            target.writestr(info, data)
    return out.getvalue()


def test_a_date_in_a_number_cell_is_an_error(thai):
    content = filled(
        report_workbook(thai.report), {"thai-lean": {"value": datetime.date(2025, 1, 3)}}
    )

    result = import_(thai, thai.report, content)

    assert "holds a date" in result.errors[0].message


def test_true_or_false_is_an_error_in_a_count_but_yes_or_no_in_a_yes_no_kpi(thai, year_report):
    count = import_(
        thai, thai.report, filled(report_workbook(thai.report), {"thai-lean": {"value": True}})
    )
    yes_no = import_(
        thai,
        year_report,
        filled(report_workbook(year_report), {"thai-communications-plan": {"value": False}}),
    )

    assert "TRUE / FALSE is not a number" in count.errors[0].message
    assert yes_no.ok
    assert measurement(year_report, "thai-communications-plan").value == 0


def test_a_yes_no_kpi_takes_the_words_yes_and_no(thai, year_report):
    content = filled(report_workbook(year_report), {"thai-communications-plan": {"value": "Yes"}})

    assert import_(thai, year_report, content).ok
    assert measurement(year_report, "thai-communications-plan").value == 1


def test_a_yes_no_kpi_refuses_other_numbers(thai, year_report):
    content = filled(report_workbook(year_report), {"thai-communications-plan": {"value": 2}})

    result = import_(thai, year_report, content)

    assert "Answer yes (1) or no (0)." in result.errors[0].message


def test_a_number_in_a_cell_that_does_not_apply_is_an_error(thai):
    content = filled(
        report_workbook(thai.report),
        {"thai-waste": {"numerator": 1, "denominator": 4, "value": 25}},
    )

    result = import_(thai, thai.report, content)

    assert [(e.field, e.message) for e in result.errors] == [
        ("value", "This cell does not apply to this KPI: leave it empty.")
    ]


def test_unknown_duplicate_and_missing_kpi_codes_are_errors(thai):
    workbook = load_workbook(io.BytesIO(report_workbook(thai.report)))
    sheet = workbook.worksheets[0]
    lean, jit, waste = (row_of(sheet, c) for c in ("thai-lean", "thai-jit", "thai-waste"))
    sheet.cell(row=lean, column=1).value = "thai-no-such-kpi"
    sheet.cell(row=waste, column=1).value = "thai-jit"
    out = io.BytesIO()
    workbook.save(out)

    result = import_(thai, thai.report, out.getvalue())

    messages = [str(e) for e in result.errors]
    assert f"Row {lean}, KPI code: “thai-no-such-kpi” is not a KPI of this report." in messages
    assert f"Row {waste}, KPI code: KPI “thai-jit” is already in row {jit}." in messages
    assert any("“thai-lean”" in m and "missing from the sheet" in m for m in messages)
    assert any("“thai-waste”" in m and "missing from the sheet" in m for m in messages)


def test_blank_rows_below_the_kpis_are_ignored(thai):
    workbook = load_workbook(io.BytesIO(report_workbook(thai.report)))
    sheet = workbook.worksheets[0]
    sheet.cell(row=sheet.max_row + 3, column=COLUMN_INDEX["note"]).value = ""
    out = io.BytesIO()
    workbook.save(out)

    assert import_(thai, thai.report, out.getvalue()).ok


def test_a_changed_revision_cell_is_an_error(thai):
    content = filled(report_workbook(thai.report), {"thai-lean": {"revision": "abc"}})

    result = import_(thai, thai.report, content)

    assert result.errors[0].field == "revision"


def test_a_too_long_note_is_an_error_not_cut_short(thai):
    content = filled(report_workbook(thai.report), {"thai-lean": {"note": "x" * 501}})

    result = import_(thai, thai.report, content)

    assert "at most 500 characters" in result.errors[0].message


def test_a_file_over_two_megabytes_is_refused(thai):
    result = import_(thai, thai.report, b"PK" + b"\0" * MAX_UPLOAD_BYTES)

    assert "too large" in result.errors[0].message
    assert result.annotated is None


def test_a_cluster_and_period_that_do_not_match_the_report_id_are_refused(thai):
    workbook = load_workbook(io.BytesIO(report_workbook(thai.report)))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(max_row=10):
        if row[0].value == "clusterboard-report":
            row[3].value = "2024-Q1"
    out = io.BytesIO()
    workbook.save(out)

    result = import_(thai, thai.report, out.getvalue())

    assert "for another report" in result.errors[0].message
