"""The clusters API: filters, pagination, per-field errors and bounded queries."""

import pytest
from django.urls import reverse

from bsos.models import ClusterSupport
from tests.factories import (
    ActionItemFactory,
    BSOFactory,
    ClusterFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    RegionFactory,
    SteeringCommitteeFactory,
)

LIST = reverse("api:cluster-list")


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


@pytest.fixture
def more_clusters(world):
    ClusterFactory(
        code="ecuador-cocoa",
        name="Cocoa of Manabí",
        country=world.ecuador,
        sector="cocoa",
        locality="Manabí",
        sector_family="natural_resource",
        cluster_type="survival",
        lifecycle_stage="emerging",
    )
    ClusterFactory(
        code="cordoba-software",
        name="Córdoba software",
        country=world.argentina,
        sector="software",
        sector_family="specialized_suppliers",
        cluster_type="hub_and_spoke",
        lifecycle_stage="globalisation",
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "ec"}, ["atuntaqui-garments", "ecuador-cocoa"]),
        ({"region": "southern-cone"}, ["cordoba-software", "mendoza-wine"]),
        (
            {"region": "latam"},
            ["atuntaqui-garments", "cordoba-software", "ecuador-cocoa", "mendoza-wine"],
        ),
        ({"sector_family": "specialized_suppliers"}, ["cordoba-software"]),
        ({"cluster_type": "survival"}, ["ecuador-cocoa"]),
        ({"lifecycle_stage": "globalisation"}, ["cordoba-software"]),
        ({"q": "manab"}, ["ecuador-cocoa"]),
        ({"q": "argentina", "sector_family": "specialized_suppliers"}, ["cordoba-software"]),
    ],
)
def test_cluster_filters_narrow_the_list(api_client, more_clusters, query, expected):
    assert codes(api_client.get(LIST, query)) == expected


def test_bso_filter_lists_clusters_the_bso_supports_today(api_client, world, more_clusters):
    import datetime

    ClusterSupportFactory(
        bso=world.bso,
        cluster=world.outside,
        since=datetime.date(2018, 1, 1),
        until=datetime.date(2019, 1, 1),
    )
    assert codes(api_client.get(LIST, {"bso": world.bso.pk})) == ["mendoza-wine"]


@pytest.mark.parametrize(
    ("url_name", "query", "field"),
    [
        ("api:cluster-list", {"bso": str(2**64)}, "bso"),
        ("api:cluster-list", {"bso": "-1"}, "bso"),
        ("api:bso-list", {"cluster": str(2**64)}, "cluster"),
    ],
)
def test_an_id_beyond_64_bits_is_a_per_field_error_not_a_crash(
    api_client, world, url_name, query, field
):
    response = api_client.get(reverse(url_name), query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_bso_list_still_filters_by_the_cluster_supported(api_client, world):
    response = api_client.get(reverse("api:bso-list"), {"cluster": world.outside.pk})
    assert [row["code"] for row in response.json()["results"]] == ["camara-atuntaqui"]


def test_an_unknown_choice_is_a_per_field_error(api_client, world):
    response = api_client.get(LIST, {"sector_family": "rockets"})
    assert response.status_code == 400
    assert "sector_family" in response.json()


def test_the_list_is_paginated(api_client, world):
    ClusterFactory.create_batch(60, country=world.argentina)
    body = api_client.get(LIST).json()
    assert body["count"] == 62
    assert len(body["results"]) == 50
    assert body["next"]


def test_invalid_cluster_gets_json_errors_per_field(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.post(
        LIST,
        {"code": "mendoza-wine", "name": "", "country": "XX", "number_of_firms": -1},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"code", "name", "country", "number_of_firms", "sector_family"} <= set(errors)
    assert all(isinstance(messages, list) and messages for messages in errors.values())


def test_database_rules_come_back_as_json_errors(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.patch(
        reverse("api:cluster-detail", args=[world.inside.pk]),
        {"number_of_firms": 10, "women_led_firms": 11},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Women-led firms cannot exceed the number of firms."]
    }
    world.inside.refresh_from_db()
    assert world.inside.number_of_firms == 120


def test_deleting_a_country_still_in_use_is_refused_with_409(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.delete(reverse("api:country-detail", args=[world.argentina.pk]))
    assert response.status_code == 409
    assert "detail" in response.json()


def test_a_second_open_lead_bso_is_refused(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.post(
        reverse("api:clustersupport-list"),
        {
            "bso": world.other_bso.pk,
            "cluster": world.inside.pk,
            "role": "lead",
            "since": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()


def test_meeting_attendees_must_sit_on_the_committee(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    inside, outside = world.committees["inside"], world.committees["outside"]
    response = api_client.post(
        reverse("api:meeting-list"),
        {
            "committee": inside.committee.pk,
            "held_on": "2025-07-01",
            "attendees": [outside.member.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "attendees" in response.json()


def test_meeting_keeps_its_decisions_and_attendance(api_client, world):
    api_client.force_authenticate(world.users["bso_staff"])
    inside = world.committees["inside"]
    url = reverse("api:meeting-list")
    created = api_client.post(
        url,
        {
            "committee": inside.committee.pk,
            "held_on": "2025-07-01",
            "attendees": [inside.member.pk],
            "decisions": ["Hire a cluster manager", "Apply to the export fund"],
        },
        format="json",
    ).json()
    assert created["decisions"] == ["Hire a cluster manager", "Apply to the export fund"]
    assert created["attendees"] == [inside.member.pk]
    patched = api_client.patch(
        reverse("api:meeting-detail", args=[created["id"]]), {"minutes": "Quorum."}, format="json"
    ).json()
    assert patched["decisions"] == ["Hire a cluster manager", "Apply to the export fund"]


@pytest.mark.parametrize("name", ["meeting", "actionitem", "committeemember"])
def test_committee_lists_filter_by_cluster(api_client, world, name):
    api_client.force_authenticate(world.users["admin"])
    url = reverse(f"api:{name}-list")
    inside = api_client.get(url, {"cluster": world.inside.pk}).json()["results"]
    outside = api_client.get(url, {"cluster": world.outside.pk}).json()["results"]
    everything = api_client.get(url).json()["results"]
    assert len(everything) == 2
    assert [row["committee"] for row in inside] == [world.committees["inside"].committee.pk]
    assert [row["committee"] for row in outside] == [world.committees["outside"].committee.pk]


def test_meeting_cluster_filter_refuses_a_number_beyond_an_id(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.get(reverse("api:meeting-list"), {"cluster": 2**70})
    assert response.status_code == 400
    assert "cluster" in response.json()


def test_action_item_owner_must_sit_on_the_committee(api_client, world):
    api_client.force_authenticate(world.users["admin"])
    response = api_client.post(
        reverse("api:actionitem-list"),
        {
            "committee": world.committees["inside"].committee.pk,
            "title": "Book the stand",
            "owner": world.committees["outside"].member.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "owner" in response.json()


def test_member_dates_out_of_order_are_refused(api_client, world):
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.post(
        reverse("api:committeemember-list"),
        {
            "committee": world.committees["inside"].committee.pk,
            "name": "Luis",
            "organisation": "INTA",
            "stakeholder_type": "public",
            "sex": "male",
            "since": "2024-05-01",
            "until": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The end date cannot be before the start date."]
    }


@pytest.mark.parametrize(
    "name",
    [
        "cluster",
        "bso",
        "clustersupport",
        "region",
        "committee",
        "committeemember",
        "meeting",
        "actionitem",
    ],
)
def test_list_endpoints_run_a_bounded_number_of_queries(
    api_client, world, django_assert_max_num_queries, name
):
    for _ in range(30):
        cluster = ClusterFactory(country=world.argentina)
        ClusterSupportFactory(bso=world.bso, cluster=cluster, role=ClusterSupport.Role.LEAD)
        ClusterSupportFactory(bso=BSOFactory(country=world.ecuador), cluster=cluster)
        RegionFactory(countries=[world.argentina, world.ecuador])
        committee = SteeringCommitteeFactory(cluster=cluster)
        members = CommitteeMemberFactory.create_batch(3, committee=committee)
        meeting = MeetingFactory(committee=committee)
        meeting.attendees.set(members)
        meeting.decisions.create(text="Decided")
        ActionItemFactory(committee=committee, owner=members[0], meeting=meeting)
    api_client.force_authenticate(world.users["bso_staff"])
    with django_assert_max_num_queries(8):
        response = api_client.get(reverse(f"api:{name}-list"), {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] >= 30
