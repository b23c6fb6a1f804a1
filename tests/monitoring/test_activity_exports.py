"""CSV and XLSX exports of the activity list: same filters, same scope, inert formulas."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.monitoring.activity_data import make_activity


def rows_of_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_holds_the_users_scope_only(world, client):
    make_activity(world.inside, world.bso, title="Inside workshop")
    make_activity(world.outside, world.other_bso, title="Outside workshop")
    client.force_login(world.users["bso_staff"])

    rows = rows_of_csv(client.get(reverse("activity-export", args=["csv"])))

    assert [r[4] for r in rows[1:]] == ["Inside workshop"]
    client.force_login(world.users["admin"])
    rows = rows_of_csv(client.get(reverse("activity-export", args=["csv"])))
    assert len(rows) == 3


def test_the_export_applies_the_lists_filters(world, client):
    make_activity(world.inside, world.bso, type="training", date=datetime.date(2025, 1, 5))
    make_activity(world.inside, world.bso, type="training", date=datetime.date(2025, 3, 5))
    make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2025, 3, 6))
    client.force_login(world.users["bso_staff"])
    query = "?type=training&date_after=2025-02-01&date_before=2025-12-31"

    rows = rows_of_csv(client.get(reverse("activity-export", args=["csv"]) + query))

    assert [r[0] for r in rows[1:]] == ["2025-03-05"]


def test_formula_like_text_is_neutralised_in_csv_and_xlsx(world, client):
    make_activity(
        world.inside,
        world.bso,
        title='=HYPERLINK("http://evil")',
        description="+1+2",
        cost_firms=30,
    )
    client.force_login(world.users["bso_staff"])

    rows = rows_of_csv(client.get(reverse("activity-export", args=["csv"])))
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "'+1+2"

    response = client.get(reverse("activity-export", args=["xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="activities.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    title, firms = sheet.cell(row=2, column=5), sheet.cell(row=2, column=11)
    assert title.value == '\'=HYPERLINK("http://evil")'
    assert title.data_type == "s"
    assert firms.value == 30  # numbers stay numbers


def test_an_unknown_format_is_404(world, client):
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("activity-export", args=["pdf"])).status_code == 404
