"""A table as an open-data file: CSV (the licence line first, then the header of column names,
then the rows) or JSON ({"dataset", "licence", "columns", "rows"}). Numbers as plain decimals
with a point, days as 2026-12-03, moments in UTC ISO 8601."""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from core.exports import neutralise
from public.opendata.datasets import LICENCE, Table

FORMATS = ("csv", "json")


def _plain(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    return value


def table_csv(table: Table) -> str:
    out = io.StringIO()
    out.write(f"# Licence: {LICENCE}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = _plain(row.get(column))
            cells.append(
                "" if value is None else neutralise(value) if isinstance(value, str) else value
            )
        writer.writerow(cells)
    return out.getvalue()


def table_json(table: Table, *, dataset: str) -> str:
    rows = [{column: _plain(row.get(column)) for column in table.columns} for row in table.rows]
    document = {
        "dataset": dataset,
        "licence": LICENCE,
        "generated_at": _plain(timezone.now()),
        "columns": table.columns,
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def table_response(table: Table, *, dataset: str, fmt: str) -> HttpResponse:
    """The download of one table, named after its dataset."""
    if fmt == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            table_json(table, dataset=dataset), content_type="application/json; charset=utf-8"
        )
    filename = dataset.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
