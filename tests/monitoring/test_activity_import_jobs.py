"""A large activity spreadsheet runs as a background job: the page follows its progress, then
shows its result; all or nothing as within a request; only its owner (and admins) see it."""

import datetime
import os

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from monitoring.activities.imports import KEYS
from monitoring.activities.jobs import (
    STALL_SECONDS,
    activity_import_run,
    activity_imports_requeue_stalled,
)
from monitoring.models.activities import Activity, ActivityImport
from tests.factories import UserFactory
from tests.monitoring.activity_data import media  # noqa: F401 (a fixture)

HEADER = ",".join(KEYS)
State = ActivityImport.State


def line(**cells) -> str:
    values = {
        "cluster": "mendoza-wine",
        "date": "2025-02-03",
        "type": "workshop",
        "title": "Workshop",
        "women": "2",
        "men": "1",
        "currency": "USD",
        **cells,
    }
    return ",".join(values.get(key, "") for key in KEYS)


def csv_file(lines, name="activities.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), "text/csv")


def rows(count, **cells):
    return [line(title=f"Workshop {n}", **cells) for n in range(count)]


@pytest.fixture
def background(settings, media):  # noqa: F811
    """Files of more than 3 rows run as jobs; uploads are kept in a media root of the test."""
    settings.ACTIVITY_IMPORT_BACKGROUND_ROWS = 3
    return media


@pytest.fixture
def no_worker(monkeypatch):
    """A broker that takes the task and no worker that runs it (yet)."""
    sent = []
    task = current_app.tasks["monitoring.tasks.run_activity_import"]
    monkeypatch.setattr(task, "delay", lambda *args: sent.append(args))
    return sent


@pytest.fixture
def upload(client, world, django_capture_on_commit_callbacks):
    """Post a file on the import page as BSO staff, with what runs on commit run (the test's
    transaction never commits)."""

    def post(lines, **headers):
        signed_in(client, world)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("activity-import"), {"file": csv_file(lines)}, **headers)

    return post


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """What a worker does with the task: run the job (and what it leaves to the commit)."""

    def run(job_id):
        with django_capture_on_commit_callbacks(execute=True):
            return activity_import_run(job_id=job_id)

    return run


def signed_in(client, world, role="bso_staff"):
    client.force_login(world.users[role])
    return client


def stored_files(media_root) -> list[str]:
    folder = media_root / "imports"
    return os.listdir(folder) if folder.exists() else []


def test_a_small_file_is_imported_within_the_request(world, client, background, upload):
    response = upload(rows(3))

    assert response.status_code == 302
    assert response["Location"] == reverse("activity-list")
    assert Activity.objects.count() == 3
    assert not ActivityImport.objects.exists()


def test_a_large_file_runs_as_a_job_whose_page_shows_the_result(world, client, background, upload):
    response = upload(rows(5))

    job = ActivityImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activity-import-job", args=[job.pk])
    # Without a broker the task ran in-process once the job was committed.
    assert (job.state, job.saved, job.total, job.progress) == (State.DONE, 5, 5, 5)
    assert job.created_by == world.users["bso_staff"] and job.original_name == "activities.csv"
    assert Activity.objects.count() == 5
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "5 activities were imported." in page.content.decode()
    assert "js/import-progress.js" in page.content.decode()
    assert job.file.name == "" and stored_files(background) == []  # the upload is removed


def test_a_large_file_with_a_bad_row_saves_nothing_and_its_page_lists_the_problems(
    world, client, background, upload
):
    lines = rows(5)
    lines[2] = line(men="x")  # row 4
    response = upload(lines)

    job = ActivityImport.objects.get()
    assert job.state == State.REFUSED
    assert not Activity.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert "Row 4, men:" in page
    assert stored_files(background) == []


def test_the_job_page_and_its_json_follow_a_queued_job_until_a_worker_ran_it(
    world, client, background, no_worker, upload, worker
):
    response = upload(rows(5))
    job = ActivityImport.objects.get()
    assert no_worker == [(job.pk,)]  # queued once the upload was committed
    assert len(stored_files(background)) == 1  # kept for the worker, under a random name
    assert not stored_files(background)[0].startswith("activities")

    page = client.get(response["Location"]).content.decode()
    progress = client.get(reverse("activity-import-progress", args=[job.pk]))
    assert "Waiting for a worker" in page and "data-import-job" in page
    assert progress["Content-Type"] == "application/json"
    assert progress.json() == {
        "state": "queued",
        "label": "Waiting to start",
        "finished": False,
        "total": 5,
        "progress": 0,
        "percent": 0,
        "saved": 0,
        "problems": 0,
        "text": "Waiting for a worker to start the import…",
    }

    worker(job.pk)  # the worker

    done = client.get(reverse("activity-import-progress", args=[job.pk])).json()
    assert (done["state"], done["finished"], done["percent"], done["saved"]) == (
        "done",
        True,
        100,
        5,
    )
    assert Activity.objects.count() == 5 and stored_files(background) == []


def test_the_progress_json_tells_the_rows_read_while_the_job_runs(world, client, background):
    job = ActivityImport.objects.create(
        created_by=world.users["bso_staff"],
        original_name="big.xlsx",
        language="en",
        state=State.RUNNING,
        total=800,
        progress=200,
        started_at=timezone.now(),
    )

    progress = signed_in(client, world).get(reverse("activity-import-progress", args=[job.pk]))

    assert progress.json()["percent"] == 25
    assert progress.json()["text"] == "200 of 800 rows read"
    assert progress["Cache-Control"] == "no-store"


def test_only_the_owner_and_administrators_see_a_job(world, client, background, upload):
    upload(rows(5))
    job = ActivityImport.objects.get()
    colleague = UserFactory(username="colleague", role=Role.BSO_STAFF, bso=world.bso)
    urls = [
        reverse("activity-import-job", args=[job.pk]),
        reverse("activity-import-progress", args=[job.pk]),
    ]

    client.force_login(colleague)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for role in ("program_officer", "ministry"):
        signed_in(client, world, role)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    signed_in(client, world, "admin")
    assert [client.get(url).status_code for url in urls] == [200, 200]
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)  # to sign in


def test_a_job_delivered_twice_imports_once(world, client, background, no_worker, upload, worker):
    upload(rows(5))
    job = ActivityImport.objects.get()

    assert worker(job.pk) is None
    assert worker(job.pk) is None

    assert Activity.objects.count() == 5
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 1)


def test_a_job_running_elsewhere_is_left_alone_until_it_stalls(
    world, client, background, no_worker, upload, worker
):
    upload(rows(5))
    job = ActivityImport.objects.get()
    ActivityImport.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=timezone.now(), attempts=1
    )

    wait = worker(job.pk)

    assert 0 < wait <= STALL_SECONDS + 1
    assert not Activity.objects.exists()

    # Its worker died: once the job counts as stalled, the next delivery takes it over.
    long_ago = timezone.now() - datetime.timedelta(seconds=STALL_SECONDS + 5)
    ActivityImport.objects.filter(pk=job.pk).update(started_at=long_ago)
    assert worker(job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts, Activity.objects.count()) == (State.DONE, 2, 5)


def test_a_job_that_fails_says_so_and_keeps_nothing(
    world, client, background, no_worker, monkeypatch, upload, worker
):
    upload(rows(5))
    job = ActivityImport.objects.get()

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("monitoring.activities.jobs.activities_save", broken)
    worker(job.pk)

    job.refresh_from_db()
    assert job.state == State.FAILED and "error on our side" in job.errors[0]
    assert not Activity.objects.exists() and stored_files(background) == []
    page = client.get(reverse("activity-import-job", args=[job.pk])).content.decode()
    assert "error on our side" in page


def test_a_job_speaks_the_language_of_the_page_it_was_uploaded_from(
    world, client, background, upload
):
    lines = rows(5)
    lines[0] = line(men="x")
    upload(lines, HTTP_ACCEPT_LANGUAGE="es")

    job = ActivityImport.objects.get()
    assert job.language == "es"
    assert job.errors == ["Fila 2, men: Un número entero, cero o mayor."]


def test_the_sweep_sends_again_a_job_whose_message_was_lost(
    world, client, background, no_worker, upload, worker, django_capture_on_commit_callbacks
):
    upload(rows(5))
    job = ActivityImport.objects.get()
    assert len(no_worker) == 1  # sent once at upload; say the broker lost it

    # Waiting, but not yet for long: nothing is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert activity_imports_requeue_stalled() == 0

    long_ago = timezone.now() - datetime.timedelta(seconds=STALL_SECONDS + 5)
    ActivityImport.objects.filter(pk=job.pk).update(queued_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert activity_imports_requeue_stalled() == 1
        assert activity_imports_requeue_stalled() == 0  # once per bound, not at every sweep
    assert no_worker[1:] == [(job.pk,)]

    assert worker(job.pk) is None
    job.refresh_from_db()
    assert (job.state, Activity.objects.count()) == (State.DONE, 5)


def test_the_sweep_sends_again_a_stalled_job_until_its_attempts_are_spent(
    world, client, background, no_worker, upload, worker, django_capture_on_commit_callbacks
):
    upload(rows(5))
    job = ActivityImport.objects.get()
    long_ago = timezone.now() - datetime.timedelta(seconds=STALL_SECONDS + 5)
    ActivityImport.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=long_ago, queued_at=long_ago, attempts=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert activity_imports_requeue_stalled() == 1
    assert worker(job.pk) is None  # the delivery finds every attempt used: the job fails

    job.refresh_from_db()
    assert job.state == State.FAILED and not Activity.objects.exists()
    ActivityImport.objects.filter(pk=job.pk).update(queued_at=long_ago)
    assert activity_imports_requeue_stalled() == 0  # a finished job is never sent again
