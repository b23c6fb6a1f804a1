"""Helpers for tests that read a CSV or XLSX download back as rows."""

import csv
import io

from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    """Header and rows of a CSV download (the BOM dropped)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    """Header and rows of the first sheet of an XLSX download, numbers as numbers."""
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
