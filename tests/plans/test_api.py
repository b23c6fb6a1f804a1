"""The plans' API: approval by a decision freezes a version (a change answers 400 saying so), a
revision starts the next one, an activity is linked to an action; lists in bounded queries."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import Decision
from plans.services import action_activity_link, action_create, plan_create
from tests.monitoring.activity_data import make_activity


@pytest.fixture
def plan(world):
    bso = world.users["bso_staff"]
    plan = plan_create(
        cluster=world.inside,
        data={
            "title": "Wine plan",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2026, 12, 31),
        },
        user=bso,
    )
    action_create(
        plan=plan,
        data={
            "title": "Joint stand",
            "owner": "Chamber",
            "starts_on": datetime.date(2025, 3, 1),
            "ends_on": datetime.date(2025, 6, 30),
            "currency": "USD",
        },
        user=bso,
    )
    return plan


def test_an_approved_plan_refuses_changes_until_revised(api_client, world, plan):
    api_client.force_authenticate(world.users["bso_staff"])
    decision = Decision.objects.create(meeting=world.committees["inside"].meeting, text="Yes")
    detail = reverse("api:plan-detail", args=[plan.pk])

    approved = api_client.post(
        reverse("api:plan-approve", args=[plan.pk]), {"decision": decision.pk}, format="json"
    )
    refused = api_client.patch(detail, {"title": "Other"}, format="json")
    revised = api_client.post(reverse("api:plan-revise", args=[plan.pk]))

    assert (approved.status_code, approved.json()["state"]) == (200, "approved")
    assert refused.status_code == 400
    assert "frozen" in refused.json()["non_field_errors"][0]
    assert (revised.status_code, revised.json()["version"], revised.json()["state"]) == (
        200,
        2,
        "draft",
    )
    new = revised.json()["id"]
    changed = api_client.patch(
        reverse("api:plan-detail", args=[new]), {"title": "Other"}, format="json"
    )
    assert (changed.status_code, changed.json()["title"]) == (200, "Other")


def test_another_clusters_decision_does_not_approve_a_plan(api_client, world, plan):
    api_client.force_authenticate(world.users["admin"])
    decision = Decision.objects.create(meeting=world.committees["outside"].meeting, text="Yes")
    answer = api_client.post(
        reverse("api:plan-approve", args=[plan.pk]), {"decision": decision.pk}, format="json"
    )
    assert answer.status_code == 400
    assert "decision" in answer.json()


def test_an_activity_is_linked_to_an_action(api_client, world, plan):
    api_client.force_authenticate(world.users["bso_staff"])
    action = plan.actions.get()
    activity = make_activity(world.inside, world.bso)
    elsewhere = make_activity(world.outside, world.other_bso)
    url = reverse("api:planaction-link", args=[action.pk])

    linked = api_client.post(url, {"activity": activity.pk}, format="json")
    outside = api_client.post(url, {"activity": elsewhere.pk}, format="json")

    assert (linked.status_code, linked.json()["activities"]) == (200, [activity.pk])
    assert outside.status_code == 404


def test_the_lists_cost_a_fixed_number_of_queries(
    api_client, world, plan, django_assert_max_num_queries
):
    bso = world.users["bso_staff"]
    for n in range(8):
        action = action_create(
            plan=plan,
            data={
                "title": f"Action {n}",
                "owner": "Chamber",
                "starts_on": datetime.date(2025, 3, 1),
                "ends_on": datetime.date(2025, 6, 30),
                "currency": "USD",
            },
            user=bso,
        )
        action_activity_link(
            action=action, activity=make_activity(world.inside, world.bso), user=bso
        )
    api_client.force_authenticate(bso)
    with django_assert_max_num_queries(8):
        actions = api_client.get(reverse("api:planaction-list"))
    with django_assert_max_num_queries(8):
        plans = api_client.get(reverse("api:plan-list"))
    assert actions.json()["count"] == 9
    assert len(plans.json()["results"][0]["actions"]) == 9
