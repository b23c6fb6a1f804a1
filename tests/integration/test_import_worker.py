"""A large activity import with a real Celery worker on Redis and PostgreSQL: the page queues
the job and answers at once, the worker imports the file (all or nothing) and removes it, and
the job's page and JSON tell the result."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.activities.template import KEYS
from monitoring.models.activities import Activity, ActivityImport
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def csv_upload(count: int, bad_row: int | None = None) -> SimpleUploadedFile:
    lines = [",".join(KEYS)]
    for n in range(count):
        cells = {
            "cluster": "mendoza-wine",
            "date": "2025-02-03",
            "type": "workshop",
            "title": f"Workshop {n}",
            "women": "x" if n == bad_row else "2",
            "currency": "USD",
        }
        lines.append(",".join(cells.get(key, "") for key in KEYS))
    return SimpleUploadedFile("big.csv", "\n".join(lines).encode(), "text/csv")


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """One media root for this process and the worker (which reads DJANGO_MEDIA_ROOT)."""
    root = tmp_path / "media"
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(root))
    settings.MEDIA_ROOT = str(root)
    settings.ACTIVITY_IMPORT_BACKGROUND_ROWS = 50
    return root


def kept_uploads(root) -> list[str]:
    folder = root / "imports"
    return os.listdir(folder) if folder.exists() else []


def test_a_large_import_runs_on_the_worker_and_its_page_tells_the_result(
    world, shared_media, workers, broker, client
):
    workers()
    client.force_login(world.users["bso_staff"])

    response = client.post(reverse("activity-import"), {"file": csv_upload(400)})

    job = ActivityImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activity-import-job", args=[job.pk])
    progress_url = reverse("activity-import-progress", args=[job.pk])
    finished = wait_for(
        lambda: client.get(progress_url).json()["finished"],
        timeout=120,
        what="the worker to finish the import",
        workers=workers,
    )
    assert finished
    job.refresh_from_db()
    assert (job.state, job.saved, job.progress, job.total) == ("done", 400, 400, 400)
    assert Activity.objects.count() == 400
    # The worker removes the upload just after the job's state commits (on_commit), so the
    # page may say "finished" a moment before the file is gone: wait for it, briefly.
    assert wait_for(
        lambda: kept_uploads(shared_media) == [],
        timeout=10,
        what="the worker to remove the upload",
        workers=workers,
    )
    assert "400 activities were imported." in client.get(response["Location"]).content.decode()


def test_a_large_import_with_a_bad_row_keeps_nothing_on_the_worker_either(
    world, shared_media, workers, broker, client
):
    workers()
    client.force_login(world.users["bso_staff"])

    response = client.post(reverse("activity-import"), {"file": csv_upload(120, bad_row=99)})

    job = ActivityImport.objects.get()
    wait_for(
        lambda: ActivityImport.objects.get(pk=job.pk).finished,
        timeout=120,
        what="the worker to finish the import",
        workers=workers,
    )
    job.refresh_from_db()
    assert job.state == "refused" and not Activity.objects.exists()
    assert job.errors == ["Row 101, women: A whole number, zero or more."]
    assert "Row 101, women:" in client.get(response["Location"]).content.decode()
    assert wait_for(
        lambda: kept_uploads(shared_media) == [],
        timeout=10,
        what="the worker to remove the upload",
        workers=workers,
    )
