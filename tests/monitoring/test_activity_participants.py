"""An activity names the registry's firms that took part, chosen among its cluster's firms, on
the activity form and in the API."""

import pytest
from django.urls import reverse

from monitoring.models.activities import Activity
from tests.factories import MembershipFactory


@pytest.fixture
def members(world):
    one = MembershipFactory(cluster=world.inside, firm__name="Bodega Andina").firm
    two = MembershipFactory(cluster=world.inside, firm__name="Viñas del Sol").firm
    stranger = MembershipFactory(cluster=world.outside, firm__name="Confecciones Norte").firm
    return one, two, stranger


def body(world, firms):
    return {
        "cluster": world.inside.pk,
        "date": "2025-04-01",
        "type": "trade_fair",
        "title": "Vinexpo stand",
        "currency": "USD",
        "participant_firms": [f.pk for f in firms],
    }


def test_the_api_records_the_firms_that_took_part(api_client, world, members):
    one, two, _stranger = members
    api_client.force_authenticate(world.users["bso_staff"])

    response = api_client.post(reverse("api:activity-list"), body(world, [one, two]), format="json")

    assert response.status_code == 201, response.json()
    assert sorted(response.json()["participant_firms"]) == sorted([one.pk, two.pk])
    activity = Activity.objects.get()
    assert set(activity.participant_firms.all()) == {one, two}
    patch = api_client.patch(
        reverse("api:activity-detail", args=[activity.pk]),
        {"participant_firms": [two.pk]},
        format="json",
    )
    assert patch.status_code == 200
    assert list(activity.participant_firms.all()) == [two]


def test_a_firm_outside_the_scope_answers_404(api_client, world, members):
    one, _two, stranger = members
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.post(
        reverse("api:activity-list"), body(world, [one, stranger]), format="json"
    )
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_a_firm_of_another_cluster_is_refused(api_client, world, members):
    one, _two, stranger = members
    api_client.force_authenticate(world.users["admin"])
    response = api_client.post(
        reverse("api:activity-list"),
        {**body(world, [one, stranger]), "bso": world.bso.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "Confecciones Norte" in response.json()["participant_firms"][0]


def test_the_activity_form_offers_the_firms_of_the_users_clusters(client, world, members):
    one, _two, _stranger = members
    client.force_login(world.users["bso_staff"])
    html = client.get(reverse("activity-new")).content.decode()
    assert "Bodega Andina" in html and "Confecciones Norte" not in html

    response = client.post(
        reverse("activity-new"),
        {**body(world, [one]), "bso": world.bso.pk, "save": "1"},
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.participant_firms.all()) == [one]
    page = client.get(activity.get_absolute_url()).content.decode()
    assert one.get_absolute_url() in page
