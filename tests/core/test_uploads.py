"""Uploads are judged by content: core.uploads, then each door that uses it (activity
attachments on the page and the API, a report's workbook, the activity import)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.uploads import UploadRefused, upload_check
from monitoring.activities.template import template_workbook
from monitoring.models import Activity, ActivityAttachment
from monitoring.reports.workbook import report_workbook
from tests.monitoring.activity_data import PDF, PNG, make_activity, media

__all__ = ["media"]

HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/')</script></body></html>"
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
MB = 1024 * 1024


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["a", 1])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        archive.writestr("word/media/image1.png", PNG)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    """The Office file with one more member."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, data)
    return out.getvalue()


def bomb(content: bytes, unpacked: int) -> bytes:
    """The Office file with a member of `unpacked` zero bytes: a few KB per 10 MB packed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        with target.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * MB
            for _ in range(unpacked // MB):
                member.write(chunk)
    return out.getvalue()


# --- the checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("pdf", PDF),
        ("png", PNG),
        ("jpg", JPG),
        ("xlsx", xlsx()),
        ("docx", docx()),
        ("csv", "name;firm\nAna;Bodega Sur\nJosé;Viñas\n".encode()),
        ("csv", "José;Viñas\n".encode("cp1252")),
    ],
)
def test_files_that_are_what_they_claim_pass(kind, content):
    upload_check(content, kind=kind)
    upload_check(io.BytesIO(content), kind=kind)


@pytest.mark.parametrize(
    ("kind", "content", "reason"),
    [
        ("pdf", HTML_PAGE, "content"),
        ("pdf", b"%PDF-1.4\n" + HTML_PAGE, "content"),  # both a PDF and a web page
        ("png", HTML_PAGE, "content"),
        ("jpg", PDF, "content"),
        ("xlsx", HTML_PAGE, "content"),
        ("xlsx", docx(), "content"),  # a document is no workbook
        ("xlsx", with_member(xlsx(), "xl/page.html", HTML_PAGE), "parts"),
        ("xlsx", with_member(xlsx(), "xl/vbaProject.bin", b"\x00macro"), "parts"),
        ("xlsx", with_member(xlsx(), "../../etc/cron.d/x.xml", b"<x/>"), "parts"),
        ("xlsx", with_member(xlsx(), "xl/worksheets/sheet9.xml", HTML_PAGE), "content"),
        ("docx", with_member(docx(), "word/media/icon.svg", b"<svg/>"), "parts"),
        ("xlsx", bomb(xlsx(), 100 * MB), "unpacked"),
        ("xlsx", bomb(xlsx(), 5 * MB), "unpacked"),  # under the bound, but a ratio of ~1000
        ("csv", HTML_PAGE, "content"),
        ("csv", b"a,b\x00c", "content"),
        ("csv", b"name\n\x81\x8d\x8f\n", "encoding"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(kind, content, reason):
    with pytest.raises(UploadRefused) as refused:
        upload_check(content, kind=kind)
    assert refused.value.reason == reason
    assert str(refused.value)


def test_the_bomb_is_small_and_refused_before_anything_is_unpacked():
    content = bomb(xlsx(), 100 * MB)
    assert len(content) < 200 * 1024
    with pytest.raises(UploadRefused, match="unpacks to more than"):
        upload_check(content, kind="xlsx")


# --- the doors --------------------------------------------------------------------------------

REFUSED_ATTACHMENTS = [
    ("minutes.pdf", HTML_PAGE, "is not a .pdf file"),
    ("budget.xlsx", with_member(xlsx(), "xl/page.html", HTML_PAGE), "xl/page.html"),
    ("budget.xlsx", bomb(xlsx(), 100 * MB), "unpacks to more than"),
]


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(("name", "content", "message"), REFUSED_ATTACHMENTS)
def test_the_attachment_page_refuses_a_disguised_file(world, client, name, content, message):
    activity = make_activity(world.inside, world.bso)
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("activity-attach", args=[activity.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not ActivityAttachment.objects.exists()


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(("name", "content", "message"), REFUSED_ATTACHMENTS)
def test_the_attachment_api_refuses_a_disguised_file(world, api_client, name, content, message):
    activity = make_activity(world.inside, world.bso)
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.post(
        reverse("api:activity-attachments", args=[activity.pk]),
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not ActivityAttachment.objects.exists()


@pytest.mark.parametrize("change", ["html member", "bomb"])
def test_the_report_upload_refuses_a_workbook_with_foreign_parts_or_a_bomb(thai, client, change):
    content = report_workbook(thai.report)
    content, message = {
        "html member": (with_member(content, "xl/page.html", HTML_PAGE), "xl/page.html"),
        "bomb": (bomb(content, 100 * MB), "unpacks to more than"),
    }[change]
    stored = list(thai.report.measurements.values_list("pk", "value", "revision"))
    client.force_login(thai.users["bso_staff"])
    response = client.post(
        reverse("report-upload", args=[thai.report.pk]),
        {"file": SimpleUploadedFile("report.xlsx", content)},
    )
    assert message in response.content.decode()
    assert list(thai.report.measurements.values_list("pk", "value", "revision")) == stored


@pytest.mark.parametrize("change", ["html member", "bomb", "html csv"])
def test_the_activity_import_refuses_a_disguised_file(world, client, change):
    name, content, message = {
        "html member": (
            "activities.xlsx",
            with_member(template_workbook(), "xl/page.html", HTML_PAGE),
            "xl/page.html",
        ),
        "bomb": ("activities.xlsx", bomb(template_workbook(), 100 * MB), "unpacks to more than"),
        "html csv": ("activities.csv", HTML_PAGE, "Upload the activities as an .xlsx or a .csv"),
    }[change]
    client.force_login(world.users["bso_staff"])
    response = client.post(reverse("activity-import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()
