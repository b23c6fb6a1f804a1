"""Helpers for the activity-log tests: activities written straight to the table (the service
has tests of its own), small valid files for attachments, and a media root per test."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest

from monitoring.models.activities import Activity

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(marker: str) -> bytes:
    """A minimal zip laid out like an .xlsx (xl/workbook.xml) or .docx (word/document.xml)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return out.getvalue()


def make_activity(cluster, bso, **fields) -> Activity:
    values = {
        "date": datetime.date(2025, 2, 10),
        "type": "workshop",
        "title": "Workshop",
        "currency": "USD",
        **fields,
    }
    for name in ("cost_program", "cost_firms", "cost_public", "cost_credit"):
        if name in values:
            values[name] = Decimal(str(values[name]))
    return Activity.objects.create(cluster=cluster, bso=bso, **values)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
