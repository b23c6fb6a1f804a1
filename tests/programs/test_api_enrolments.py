"""Enrolments through the API: administrators and the program's officers enrol clusters in
programs (from, until), with the service the pages and the admin use (an officer only active
clusters of the program's countries); everyone else reads the enrolments of the programs in
their scope."""

import pytest
from django.urls import reverse

from core.models import RollupStale
from programs.models import Enrolment
from tests.factories import ClusterFactory, EnrolmentFactory

READERS = ["bso_staff", "ministry", "regional"]


def as_user(api_client, world, role):
    api_client.force_authenticate(world.users[role])
    return api_client


def test_an_admin_enrols_a_cluster_and_the_rollups_are_marked_stale(api_client, world):
    RollupStale.objects.all().delete()
    client = as_user(api_client, world, "admin")
    response = client.post(
        reverse("api:enrolment-list"),
        {"program": world.program.pk, "cluster": world.outside.pk, "enrolled_from": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["cluster_code"], body["enrolled_until"]) == ("atuntaqui-garments", None)
    assert RollupStale.objects.exists()


def test_an_admin_ends_an_enrolment_and_dates_stay_in_order(api_client, world):
    enrolment = Enrolment.objects.get(program=world.program)
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    client = as_user(api_client, world, "admin")
    ended = client.patch(url, {"enrolled_until": "2025-06-30"}, format="json")
    assert ended.status_code == 200, ended.json()
    assert ended.json()["enrolled_until"] == "2025-06-30"
    backwards = client.patch(url, {"enrolled_until": "2019-01-01"}, format="json")
    assert backwards.status_code == 400
    enrolment.refresh_from_db()
    assert str(enrolment.enrolled_until) == "2025-06-30"


@pytest.mark.parametrize("role", READERS)
def test_only_officers_and_admins_enrol_clusters(api_client, world, role):
    client = as_user(api_client, world, role)
    enrolment = Enrolment.objects.get(program=world.program)
    created = client.post(
        reverse("api:enrolment-list"),
        {"program": world.program.pk, "cluster": world.outside.pk, "enrolled_from": "2024-01-01"},
        format="json",
    )
    changed = client.patch(
        reverse("api:enrolment-detail", args=[enrolment.pk]), {"enrolled_until": "2025-01-01"}
    )
    assert (created.status_code, changed.status_code) == (403, 403)
    assert Enrolment.objects.count() == 2


def test_an_officer_enrols_an_active_cluster_of_the_programs_countries(api_client, world):
    world.program.countries.set([world.argentina])
    cluster = ClusterFactory(code="cuyo-olives", country=world.argentina)
    client = as_user(api_client, world, "program_officer")
    response = client.post(
        reverse("api:enrolment-list"),
        {"program": world.program.pk, "cluster": cluster.pk, "enrolled_from": "2018-06-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Enrolment.objects.filter(program=world.program, cluster=cluster).exists()


def test_an_officer_cannot_enrol_a_cluster_of_another_country_or_an_inactive_one(api_client, world):
    world.program.countries.set([world.argentina])
    closed = ClusterFactory(code="closed-mines", country=world.argentina, status="inactive")
    client = as_user(api_client, world, "program_officer")
    url = reverse("api:enrolment-list")
    abroad = client.post(
        url,
        {"program": world.program.pk, "cluster": world.outside.pk, "enrolled_from": "2024-01-01"},
        format="json",
    )
    assert abroad.status_code == 400
    assert "program's countries" in abroad.json()["cluster"][0]
    inactive = client.post(
        url,
        {"program": world.program.pk, "cluster": closed.pk, "enrolled_from": "2024-01-01"},
        format="json",
    )
    assert inactive.status_code == 400
    assert "active cluster" in inactive.json()["cluster"][0]
    enrolment = Enrolment.objects.get(program=world.program)
    moved = client.patch(
        reverse("api:enrolment-detail", args=[enrolment.pk]),
        {"cluster": world.outside.pk},
        format="json",
    )
    assert moved.status_code == 400
    assert Enrolment.objects.count() == 2


def test_an_officer_cannot_enrol_into_another_program(api_client, world):
    client = as_user(api_client, world, "program_officer")
    response = client.post(
        reverse("api:enrolment-list"),
        {
            "program": world.other_program.pk,
            "cluster": world.outside.pk,
            "enrolled_from": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 404
    assert Enrolment.objects.count() == 2


def test_enrolments_are_read_within_the_scope(api_client, world):
    client = as_user(api_client, world, "program_officer")
    rows = client.get(reverse("api:enrolment-list")).json()["results"]
    assert [r["program"] for r in rows] == [world.program.pk]
    other = Enrolment.objects.get(program=world.other_program)
    assert client.get(reverse("api:enrolment-detail", args=[other.pk])).status_code == 404
    filtered = client.get(reverse("api:enrolment-list"), {"cluster": world.outside.pk})
    assert filtered.json()["results"] == []


def test_the_enrolment_list_takes_a_bounded_number_of_queries(
    api_client, world, django_assert_max_num_queries
):
    for index in range(15):
        cluster = ClusterFactory(code=f"enrolled-{index}", country=world.argentina)
        EnrolmentFactory(program=world.program, cluster=cluster)
    client = as_user(api_client, world, "program_officer")
    with django_assert_max_num_queries(6):  # session user, scope, count, rows
        rows = client.get(reverse("api:enrolment-list")).json()["results"]
    assert len(rows) == 16
    assert {r["country"] for r in rows} == {"AR"}
