"""The report workbook upload at scale: a fixed number of queries whatever the number of rows,
each value's history kept, and any bytes answered with a clear error, never an exception."""

import io
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from monitoring.models import Measurement
from monitoring.reports.upload import report_import
from monitoring.reports.workbook import COLUMN_INDEX, FIRST_DATA_ROW, fields_for, report_workbook
from monitoring.spreadsheets.problems import ImportResult

# The report and its lock, the scope, the values under lock, one UPDATE and one history
# INSERT (a batch per few dozen rows on SQLite), savepoints.
MAX_QUERIES_FULL_REPORT = 12


def filled(report, *, rows: int | None = None, number: int = 7) -> bytes:
    """The report's workbook with the first `rows` KPI rows (all: None) given new values."""
    book = load_workbook(io.BytesIO(report_workbook(report)))
    sheet = book.worksheets[0]
    measurements = {m.kpi.code: m for m in report.measurements.select_related("kpi")}
    filled_rows = 0
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        code = sheet.cell(row=row, column=1).value
        if code not in measurements or (rows is not None and filled_rows >= rows):
            continue
        kpi = measurements[code].kpi
        values = {
            "value": 1 if kpi.unit == "yes_no" else number,
            "numerator": number,
            "denominator": number + 3,
            "value_women": number,
            "value_men": number + 1,
        }
        if kpi.by_sex:
            values["value"] = 2 * number + 1
        for key in fields_for(kpi):
            sheet.cell(row=row, column=COLUMN_INDEX[key], value=values[key])
        filled_rows += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    assert result.ok, [str(e) for e in result.errors]
    return len(captured.captured_queries)


def test_a_full_report_upload_runs_in_a_fixed_number_of_queries(
    thai, django_assert_max_num_queries
):
    user = thai.users["bso_staff"]
    content = filled(thai.report)
    count = thai.report.measurements.count()

    with django_assert_max_num_queries(MAX_QUERIES_FULL_REPORT):
        result = report_import(report=thai.report, file=content, user=user)

    assert result.saved == count > 10


def test_the_queries_do_not_grow_with_the_rows_saved(thai):
    user = thai.users["bso_staff"]

    two = queries_of(
        lambda: report_import(report=thai.report, file=filled(thai.report, rows=2), user=user)
    )
    every = queries_of(
        lambda: report_import(report=thai.report, file=filled(thai.report, number=9), user=user)
    )

    assert every == two


def test_every_value_saved_keeps_its_history_by_whom(thai):
    user = thai.users["bso_staff"]

    report_import(report=thai.report, file=filled(thai.report), user=user)

    for measurement in thai.report.measurements.all():
        latest = measurement.history.first()
        assert measurement.revision == 1
        assert measurement.updated_by == user
        assert (latest.history_type, latest.history_user, latest.revision) == ("~", user, 1)
        assert latest.value == measurement.value and latest.note == measurement.note


HYPOTHESIS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@HYPOTHESIS
@given(
    content=st.one_of(
        st.binary(min_size=1, max_size=4000),
        st.binary(max_size=4000).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=2000).map(
            lambda sheet: zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": sheet})
        ),
    )
)
def test_any_bytes_get_an_answer_never_an_exception(thai, content):
    before = dict(Measurement.objects.values_list("pk", "revision"))

    result = report_import(report=thai.report, file=content, user=thai.users["bso_staff"])

    assert isinstance(result, ImportResult) and not result.ok
    assert all(str(problem).strip() for problem in result.errors)
    assert dict(Measurement.objects.values_list("pk", "revision")) == before


@HYPOTHESIS
@given(data=st.data())
def test_a_real_workbook_with_bytes_changed_gets_an_answer_never_an_exception(thai, data):
    original = bytearray(filled(thai.report))
    for _change in range(data.draw(st.integers(1, 8))):
        # a place as a share of the length: the workbook's size changes with its timestamps
        at = int(data.draw(st.floats(0, 1, exclude_max=True)) * len(original))
        original[at] = data.draw(st.integers(0, 255))

    result = report_import(report=thai.report, file=bytes(original), user=thai.users["bso_staff"])

    assert isinstance(result, ImportResult)
    assert result.ok or all(str(problem).strip() for problem in result.errors)
