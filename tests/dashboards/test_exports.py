"""Every dashboard table downloads as CSV and XLSX, in the user's scope, with cells that a
spreadsheet would read as formulas neutralised (core.exports)."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.dashboards.conftest import kpi


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_national_kpi_table_downloads_with_value_and_coverage(dash, client):
    client.force_login(dash.users["ministry"])
    url = reverse("dashboard-country", args=[dash.argentina.pk])

    rows = csv_rows(client.get(url, {"period": dash.p["q1"].pk, "format": "csv"}))

    header, body = rows[0], rows[1:]
    line = dict(zip(header, next(r for r in body if r[1] == "thai-returns"), strict=True))
    # (4 + 2) / (6 + 4) x 100 = 60, both clusters reporting
    assert float(line["Value"]) == 60
    assert (line["Clusters reporting"], line["Clusters expected"]) == ("2", "2")
    assert line["Perspective"] == "Customer perspective"
    # a status in words, as the page says it, never a colour name; a moment to the minute
    statuses = {dict(zip(header, r, strict=True))["Status"] for r in body}
    assert statuses and not statuses & {"green", "amber", "red", "grey"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line["As of"])


def test_the_ranking_downloads_only_clusters_in_scope_and_neutralises_formulas(dash, client):
    dash.third.name = '=HYPERLINK("http://evil")'
    dash.third.save(update_fields=["name"])
    client.force_login(dash.users["ministry"])
    url = reverse("dashboard-country", args=[dash.argentina.pk])
    params = {"period": dash.p["q1"].pk, "rank": kpi("thai-lean").pk, "table": "ranking"}

    rows = csv_rows(client.get(url, {**params, "format": "csv"}))

    names = [r[1] for r in rows[1:]]
    assert names == ['\'=HYPERLINK("http://evil")', "Mendoza wine"]
    assert "Atuntaqui garments" not in str(rows)

    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {**params, "format": "xlsx"}).content))
    sheet = book.active
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["C2"].value == 7  # a number stays a number


def test_a_confidential_peer_group_is_left_out_of_the_download(dash, client):
    client.force_login(dash.users["ministry"])
    params = {"kpi": kpi("thai-lean").pk, "period": dash.p["q1"].pk, "group": "country"}

    rows = csv_rows(client.get(reverse("dashboard-benchmark"), {**params, "format": "csv"}))

    assert len(rows) == 1  # the headers only: two clusters are too few to show


@pytest.mark.parametrize(
    ("role", "page", "args"),
    [
        ("regional", "dashboard-region", lambda d: [d.southern_cone.pk]),
        ("bso_staff", "dashboard-bso", lambda d: []),
        ("program_officer", "dashboard-officer", lambda d: []),
        ("admin", "dashboard-benchmark", lambda d: []),
    ],
)
def test_every_dashboard_table_downloads_as_csv_and_xlsx(dash, client, role, page, args):
    client.force_login(dash.users[role])
    url = reverse(page, args=args(dash))

    as_csv = client.get(url, {"format": "csv"})
    as_xlsx = client.get(url, {"format": "xlsx"})

    assert as_csv.status_code == as_xlsx.status_code == 200
    assert "attachment" in as_csv["Content-Disposition"]
    assert as_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active.max_row >= 1


def test_an_unknown_table_is_not_found(dash, client):
    client.force_login(dash.users["ministry"])
    url = reverse("dashboard-country", args=[dash.argentina.pk])

    assert client.get(url, {"format": "csv", "table": "nope"}).status_code == 404
