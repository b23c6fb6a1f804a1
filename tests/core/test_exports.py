import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import export_response, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_dates_and_plain_text_are_kept():
    assert neutralise(Decimal("-2.5")) == Decimal("-2.5")
    assert neutralise(-3) == -3
    assert neutralise(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert neutralise("Wine cluster") == "Wine cluster"
    assert neutralise(None) == ""


def test_csv_download_neutralises_cells():
    response = export_response(
        headers=["name", "amount"],
        rows=[["=HYPERLINK()", Decimal("10.50")]],
        filename="t",
        fmt="csv",
    )
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["name", "amount"], ["'=HYPERLINK()", "10.50"]]


def test_xlsx_download_keeps_numbers_numeric():
    response = export_response(
        headers=["name", "amount"], rows=[["@x", Decimal("10.50")]], filename="t", fmt="xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["'@x", 10.5]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        export_response(headers=[], rows=[], filename="t", fmt="pdf")


def test_moments_are_given_in_the_site_time_zone_to_the_minute(settings):
    from django.utils import timezone

    settings.TIME_ZONE = "America/Argentina/Mendoza"  # UTC-3
    moment = datetime.datetime(2026, 12, 3, 18, 44, 59, 123456, tzinfo=datetime.UTC)
    with timezone.override("America/Argentina/Mendoza"):
        csv_response = export_response(
            headers=["as of", "day"],
            rows=[[moment, datetime.date(2026, 10, 30)]],
            filename="t",
            fmt="csv",
        )
        xlsx_response = export_response(
            headers=["as of"], rows=[[moment]], filename="t", fmt="xlsx"
        )

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1] == ["2026-12-03 15:44", "2026-10-30"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet["A2"].value == datetime.datetime(2026, 12, 3, 15, 44)
