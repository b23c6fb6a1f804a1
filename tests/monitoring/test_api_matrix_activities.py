"""Every role against the activity and attachment endpoints, reading and writing, inside and
outside its scope. Signed-in users read their scope; BSO staff and administrators write it;
an object outside the scope answers 404 whatever the method."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models.activities import Activity, ActivityAttachment
from tests.factories import ClusterFactory, ClusterSupportFactory
from tests.monitoring.activity_data import PDF, make_activity, media

pytestmark = pytest.mark.usefixtures("media")
__all__ = ["media"]

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
WRITERS = {"bso_staff", "admin"}


@pytest.fixture
def logged(world):
    """One activity with one attachment inside the scope, and the same outside it."""
    objects = {}
    for where, cluster, bso in (
        ("inside", world.inside, world.bso),
        ("outside", world.outside, world.other_bso),
    ):
        activity = make_activity(cluster, bso, title=f"{where} workshop")
        attachment = ActivityAttachment.objects.create(
            activity=activity,
            file=SimpleUploadedFile("a.pdf", PDF),
            extension="pdf",
            original_name="a.pdf",
            size=len(PDF),
        )
        objects[where] = (activity, attachment)
    return objects


def login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


def payload(world, cluster=None):
    return {
        "cluster": (cluster or world.inside).pk,
        "bso": world.bso.pk,
        "date": "2025-04-01",
        "type": "trade_fair",
        "title": "Vinexpo stand",
        "women": 2,
        "men": 3,
        "cost_program": "1000.00",
        "cost_firms": "500",
        "currency": "USD",
    }


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["activity", "activityattachment"])
def test_anonymous_users_read_nothing(api_client, world, logged, name):
    obj = logged["inside"][0 if name == "activity" else 1]
    assert api_client.get(reverse(f"api:{name}-list")).status_code == 401
    assert api_client.get(reverse(f"api:{name}-detail", args=[obj.pk])).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["activity", "activityattachment"])
def test_lists_hold_only_the_users_scope(api_client, world, logged, role, name):
    client = login(api_client, world, role)
    index = 0 if name == "activity" else 1
    ids = {row["id"] for row in client.get(reverse(f"api:{name}-list")).json()["results"]}
    inside, outside = logged["inside"][index].pk, logged["outside"][index].pk
    assert ids == ({inside, outside} if role == "admin" else {inside})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["activity", "activityattachment"])
def test_an_object_outside_the_scope_answers_404(api_client, world, logged, role, name):
    client = login(api_client, world, role)
    index = 0 if name == "activity" else 1
    inside, outside = logged["inside"][index], logged["outside"][index]
    assert client.get(reverse(f"api:{name}-detail", args=[inside.pk])).status_code == 200
    expected = 200 if role == "admin" else 404
    assert client.get(reverse(f"api:{name}-detail", args=[outside.pk])).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_downloads_follow_the_scope(api_client, world, logged, role):
    client = login(api_client, world, role)
    inside, outside = logged["inside"][1], logged["outside"][1]
    response = client.get(reverse("api:activityattachment-download", args=[inside.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    expected = 200 if role == "admin" else 404
    response = client.get(reverse("api:activityattachment-download", args=[outside.pk]))
    assert response.status_code == expected


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_bso_staff_and_admins_write_activities_in_scope(api_client, world, logged, role):
    client = login(api_client, world, role)
    activity, attachment = logged["inside"]
    create = client.post(reverse("api:activity-list"), payload(world), format="json")
    update = client.patch(
        reverse("api:activity-detail", args=[activity.pk]), {"title": "Renamed"}, format="json"
    )
    upload = client.post(
        reverse("api:activity-attachments", args=[activity.pk]),
        {"file": SimpleUploadedFile("b.pdf", PDF)},
        format="multipart",
    )
    remove = client.delete(reverse("api:activityattachment-detail", args=[attachment.pk]))
    delete = client.delete(reverse("api:activity-detail", args=[activity.pk]))
    statuses = tuple(r.status_code for r in (create, update, upload, remove, delete))
    if role is None:
        assert statuses == (401,) * 5
    elif role in WRITERS:
        assert statuses == (201, 200, 201, 204, 204), create.json()
        assert Activity.objects.filter(title="Vinexpo stand").exists()
    else:
        assert statuses == (403,) * 5
        assert Activity.objects.filter(pk=activity.pk, title="inside workshop").exists()


def test_bso_staff_cannot_write_outside_their_scope(api_client, world, logged):
    client = login(api_client, world, "bso_staff")
    activity, attachment = logged["outside"]
    create = client.post(reverse("api:activity-list"), payload(world, world.outside), format="json")
    update = client.patch(
        reverse("api:activity-detail", args=[activity.pk]), {"title": "x"}, format="json"
    )
    upload = client.post(
        reverse("api:activity-attachments", args=[activity.pk]),
        {"file": SimpleUploadedFile("b.pdf", PDF)},
        format="multipart",
    )
    remove = client.delete(reverse("api:activityattachment-detail", args=[attachment.pk]))
    delete = client.delete(reverse("api:activity-detail", args=[activity.pk]))
    assert [r.status_code for r in (create, update, upload, remove, delete)] == [404] * 5
    assert Activity.objects.filter(pk=activity.pk, title="outside workshop").exists()
    assert ActivityAttachment.objects.filter(pk=attachment.pk).exists()


def test_bso_staff_cannot_move_an_activity_out_of_their_scope(api_client, world, logged):
    client = login(api_client, world, "bso_staff")
    activity, _attachment = logged["inside"]
    response = client.patch(
        reverse("api:activity-detail", args=[activity.pk]),
        {"cluster": world.outside.pk},
        format="json",
    )
    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.cluster == world.inside


def test_api_errors_are_per_field(api_client, world):
    client = login(api_client, world, "bso_staff")
    response = client.post(
        reverse("api:activity-list"),
        {**payload(world), "cost_firms": "-5", "bso": world.other_bso.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "cost_firms" in response.json()


def test_a_refused_file_is_a_400_with_the_reason(api_client, world, logged):
    client = login(api_client, world, "bso_staff")
    activity, _attachment = logged["inside"]
    response = client.post(
        reverse("api:activity-attachments", args=[activity.pk]),
        {"file": SimpleUploadedFile("b.pdf", b"MZ not a pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_filters_work_on_the_api(api_client, world, logged):
    make_activity(world.inside, world.bso, type="training", title="Training")
    client = login(api_client, world, "admin")
    rows = client.get(reverse("api:activity-list"), {"type": "training"}).json()["results"]
    assert [r["title"] for r in rows] == ["Training"]
    rows = client.get(reverse("api:activity-list"), {"cluster": world.outside.pk}).json()
    assert [r["title"] for r in rows["results"]] == ["outside workshop"]


def test_the_api_list_runs_a_bounded_number_of_queries(
    api_client, world, django_assert_max_num_queries
):
    for n in range(40):
        cluster = ClusterFactory(country=world.argentina)
        ClusterSupportFactory(cluster=cluster, bso=world.bso)
        activity = make_activity(cluster, world.bso, title=f"Activity {n}")
        ActivityAttachment.objects.create(
            activity=activity,
            file="activities/x.pdf",
            extension="pdf",
            original_name="x.pdf",
            size=1,
        )
    client = login(api_client, world, "bso_staff")

    with django_assert_max_num_queries(5):
        response = client.get(reverse("api:activity-list"))

    assert len(response.json()["results"]) == 40
