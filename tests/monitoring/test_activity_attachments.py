"""Attachments: allowed types by name and content, a size limit, random names on disk, and
downloads only within the user's scope."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.activities.services import attachment_add
from monitoring.models.activities import ActivityAttachment
from tests.monitoring.activity_data import PDF, PNG, make_activity, media, office_file

pytestmark = pytest.mark.usefixtures("media")
__all__ = ["media"]


@pytest.fixture
def activity(world):
    return make_activity(world.inside, world.bso)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("attendance.pdf", PDF),
        ("photo.PNG", PNG),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("budget.xlsx", office_file("xl/workbook.xml")),
        ("minutes.docx", office_file("word/document.xml")),
        ("list.csv", b"name;firm\nAna;Bodega Sur\n"),
    ],
)
def test_the_allowed_types_are_attached_under_a_random_name(world, activity, name, content):
    attachment = attachment_add(
        activity=activity, file=upload(name, content), user=world.users["bso_staff"]
    )

    assert attachment.original_name == name
    assert attachment.size == len(content)
    stored = os.path.basename(attachment.file.name)
    assert name.rsplit(".", 1)[0].lower() not in stored.lower()
    assert attachment.file.name.startswith("activities/")
    assert stored.endswith("." + attachment.extension)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ\x90\x00"),
        ("page.html", b"<html></html>"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("page.csv", b"<html><script>alert(1)</script></html>"),
        ("binary.csv", b"a,b\x00c"),
        ("zip.xlsx", office_file("word/document.xml")),
        ("noextension", PDF),
    ],
)
def test_wrong_types_and_disguised_content_are_refused(world, activity, name, content):
    with pytest.raises(ValidationError) as error:
        attachment_add(activity=activity, file=upload(name, content), user=world.users["bso_staff"])
    assert "file" in error.value.message_dict
    assert not ActivityAttachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, activity, settings):
    settings.ACTIVITY_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        attachment_add(
            activity=activity, file=upload("big.pdf", PDF + b"0" * 1024), user=world.users["admin"]
        )
    assert "too large" in error.value.messages[0]


def test_the_file_is_served_as_a_download_in_scope_and_404_outside(world, activity, client):
    attachment = attachment_add(
        activity=activity, file=upload("attendance.pdf", PDF), user=world.users["bso_staff"]
    )
    url = reverse("activity-attachment", args=[attachment.pk])

    for role in ("bso_staff", "program_officer", "ministry", "regional", "admin"):
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF

    other = make_activity(world.outside, world.other_bso)
    outside = attachment_add(activity=other, file=upload("x.pdf", PDF), user=world.users["admin"])
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("activity-attachment", args=[outside.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_the_page_upload_reports_a_refused_file(world, activity, client):
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("activity-attach", args=[activity.pk]),
        {"file": upload("virus.exe", b"MZ")},
        follow=True,
    )
    assert "Attach a file of one of these types" in response.content.decode()
    response = client.post(
        reverse("activity-attach", args=[activity.pk]), {"file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 302
    assert activity.attachments.count() == 1


def test_removing_an_attachment_deletes_its_file_once_committed(
    world, activity, client, media, django_capture_on_commit_callbacks
):
    attachment = attachment_add(
        activity=activity, file=upload("a.pdf", PDF), user=world.users["bso_staff"]
    )
    path = media / attachment.file.name
    assert path.exists()
    client.force_login(world.users["bso_staff"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activity-attachment-delete", args=[attachment.pk]))

    assert response.status_code == 302
    assert not ActivityAttachment.objects.exists()
    assert not path.exists()
