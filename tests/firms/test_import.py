"""Importing firms from a spreadsheet: all rows or none, each problem with its row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from firms.models import Firm, Membership
from tests.factories import FirmFactory

HEADER = "name,tax_id,country,locality,size_class,women_led,founded,cluster,since\n"


def csv_file(body: str, name="firms.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode(), content_type="text/csv")


def upload(client, world, file, role="bso_staff"):
    client.force_login(world.users[role])
    return client.post(reverse("firm-import"), {"file": file})


def test_a_good_file_registers_every_firm_in_its_cluster(client, world):
    body = (
        "Bodega Andina SA,30-1,AR,Maipú,small,sí,1998,mendoza-wine,2024-03-01\n"
        "Viñas del Sol,,ar,Luján,Micro (1-10 employees),no,,mendoza-wine,\n"
    )
    response = upload(client, world, csv_file(body))

    assert response.status_code == 302
    andina = Firm.objects.get(name="Bodega Andina SA")
    assert (andina.tax_id, andina.size_class, andina.women_led, andina.founded) == (
        "301",
        "small",
        True,
        1998,
    )
    assert Membership.objects.filter(cluster=world.inside).count() == 2
    assert str(andina.memberships.get().since) == "2024-03-01"


def test_one_bad_row_saves_nothing_and_every_problem_names_its_row(client, world):
    FirmFactory(name="Ya registrada", tax_id="30-9", country=world.argentina)
    body = (
        "Bodega Andina SA,,AR,Maipú,small,yes,1998,mendoza-wine,\n"  # row 2: fine
        ",,AR,,huge,maybe,19x8,mendoza-wine,\n"  # row 3: four problems
        "Otra,309,AR,,,,,atuntaqui-garments,\n"  # row 4: taken tax id; cluster outside scope
        "Tercera,,ZZ,,,,,mendoza-wine,31/02/2024\n"  # row 5: no country ZZ, no such date
    )
    response = upload(client, world, csv_file(body))

    html = response.content.decode()
    assert response.status_code == 400
    assert Firm.objects.count() == 1  # only the one registered before
    for expected in (
        "Row 3, size_class: Unknown size class",
        "Row 3, women_led: Write yes or no.",
        "Row 3, founded: A year, e.g. 1998.",
        "Row 3, name: This field cannot be blank.",
        "Row 4, cluster: No cluster with the code “atuntaqui-garments” in your scope.",
        "Row 4, tax_id: A firm with this tax id is already registered.",
        "Row 5, country: No country with the code “ZZ”.",
        "Row 5, since: Write the date as YYYY-MM-DD",
    ):
        assert expected in html, expected
    assert "Row 2" not in html


def test_a_good_file_whose_rows_repeat_a_tax_id_saves_nothing(client, world):
    body = "Uno,30-5,AR,,,,,mendoza-wine,\nDos,305,AR,,,,,mendoza-wine,\n"
    response = upload(client, world, csv_file(body))
    assert response.status_code == 400
    assert "Row 3, tax_id: The same tax id as the firm of row 2." in response.content.decode()
    assert not Firm.objects.exists()


def test_bso_staff_name_the_cluster_of_each_firm(client, world):
    response = upload(client, world, csv_file("Sin cluster,,AR,,,,,,\n"))
    assert "Row 2, cluster: Name the cluster the firm is a member of." in response.content.decode()


def test_an_xlsx_with_translated_headers_is_read(client, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Country", "Cluster", "Founding year"])
    sheet.append(["Bodega XLSX", "AR", "mendoza-wine", 2001])
    data = io.BytesIO()
    book.save(data)
    file = SimpleUploadedFile("firms.xlsx", data.getvalue())

    response = upload(client, world, file)

    assert response.status_code == 302
    assert Firm.objects.get().founded == 2001


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"<html><script>x</script></html>", "Upload an .xlsx or a .csv file."),
        (b"nombre,pais\nX,AR\n", "missing: name, country"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(client, world, content, message):
    response = upload(client, world, SimpleUploadedFile("f.csv", content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Firm.objects.exists()


def test_readers_cannot_import(client, world):
    response = upload(client, world, csv_file("X,,AR,,,,,mendoza-wine,\n"), role="ministry")
    assert response.status_code == 403
