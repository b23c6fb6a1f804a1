"""Bulk import of activities: all rows or none, problems listed by spreadsheet row."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from monitoring.activities.imports import KEYS, activities_import, template_workbook
from monitoring.models.activities import Activity

HEADER = ",".join(KEYS)


def csv_file(*rows: str, header: str = HEADER, name="activities.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([header, *rows]).encode(), "text/csv")


def row(**cells) -> str:
    values = {
        "cluster": "mendoza-wine",
        "date": "2025-02-03",
        "type": "training",
        "title": "Pruning course",
        "women": "3",
        "men": "4",
        "cost_program": "100.50",
        "cost_firms": "20",
        "currency": "USD",
        **cells,
    }
    return ",".join(values.get(key, "") for key in KEYS)


def test_a_good_csv_logs_every_row(world):
    upload = csv_file(row(), row(type="trade_fair", title="Vinexpo stand", date="10/03/2025"))

    result = activities_import(file=upload, user=world.users["bso_staff"])

    assert result.ok, [str(e) for e in result.errors]
    assert result.saved == 2
    fair = Activity.objects.get(type="trade_fair")
    assert (fair.date.isoformat(), fair.bso, fair.women) == ("2025-03-10", world.bso, 3)


def test_one_bad_row_saves_nothing_and_every_problem_names_its_row(world):
    upload = csv_file(
        row(),  # row 2: fine
        row(date="yesterday"),  # row 3
        row(cluster="atuntaqui-garments"),  # row 4: outside the user's scope
        row(women="2.5", cost_firms="-3"),  # row 5: two problems
        row(type="party"),  # row 6
    )

    result = activities_import(file=upload, user=world.users["bso_staff"])

    assert not result.ok
    assert Activity.objects.count() == 0
    located = {(p.row, p.field) for p in result.errors}
    assert {(3, "date"), (4, "cluster"), (5, "women"), (6, "type")} <= located
    assert any(p.row == 5 and p.field == "cost_firms" for p in result.errors)
    assert str(next(p for p in result.errors if p.row == 3)).startswith("Row 3, date:")


def test_the_service_rules_apply_to_imported_rows_too(world):
    upload = csv_file(row(), row(bso="camara-atuntaqui"))

    result = activities_import(file=upload, user=world.users["bso_staff"])

    assert [(p.row, p.field) for p in result.errors] == [(3, "bso")]
    assert not Activity.objects.exists()


def test_semicolon_separated_csv_with_comma_decimals_is_read(world):
    header = ";".join(KEYS)
    line = ";".join(
        {
            "cluster": "mendoza-wine",
            "date": "2025-02-03",
            "type": "Training",
            "title": "T",
            "cost_firms": "12,50",
            "currency": "usd",
        }.get(key, "")
        for key in KEYS
    )
    upload = csv_file(line, header=header)

    result = activities_import(file=upload, user=world.users["bso_staff"])

    assert result.ok, [str(e) for e in result.errors]
    assert str(Activity.objects.get().cost_firms) == "12.50"


def test_the_template_filled_in_is_imported(world):
    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == KEYS
    values = {
        "cluster": "mendoza-wine",
        "type": "joint_purchasing",
        "title": "Bottles",
        "currency": "ARS",
        "cost_firms": 1500.5,
        "firms": 12,
    }
    import datetime

    values["date"] = datetime.datetime(2025, 1, 20)
    sheet.append([values.get(key) for key in KEYS])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())

    result = activities_import(file=upload, user=world.users["bso_staff"])

    assert result.ok, [str(e) for e in result.errors]
    activity = Activity.objects.get()
    assert (str(activity.cost_firms), activity.firms, activity.currency) == ("1500.50", 12, "ARS")


def test_a_file_that_is_not_a_spreadsheet_is_refused_as_a_whole(world):
    upload = SimpleUploadedFile("a.xlsx", b"not a zip at all")
    result = activities_import(file=upload, user=world.users["bso_staff"])
    assert len(result.errors) == 1 and result.errors[0].row is None

    wb = Workbook()
    wb.active.append(["what", "ever"])
    out = io.BytesIO()
    wb.save(out)
    result = activities_import(
        file=SimpleUploadedFile("b.xlsx", out.getvalue()), user=world.users["bso_staff"]
    )
    assert "missing" in str(result.errors[0])


def test_the_import_page_lists_the_errors_and_readers_cannot_import(world, client):
    client.force_login(world.users["bso_staff"])
    response = client.post(reverse("activity-import"), {"file": csv_file(row(), row(men="x"))})
    assert response.status_code == 400
    assert "Row 3, men:" in response.content.decode()
    assert not Activity.objects.exists()

    response = client.post(reverse("activity-import"), {"file": csv_file(row())})
    assert response.status_code == 302
    assert Activity.objects.count() == 1

    client.force_login(world.users["program_officer"])
    assert client.get(reverse("activity-import")).status_code == 403


def test_the_templates_download(world, client):
    client.force_login(world.users["bso_staff"])
    xlsx = client.get(reverse("activity-import-template", args=["xlsx"]))
    csv = client.get(reverse("activity-import-template", args=["csv"]))
    assert xlsx.status_code == csv.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"]
    assert csv.content.decode("utf-8-sig").strip() == HEADER
