"""A published cluster's public page shows its competitiveness plan's actions and their status
once the steering committee approved a version, and nothing of a draft."""

from django.urls import reverse

from clusters.models import Decision
from plans.services import action_create, plan_approve, plan_create
from tests.plans.conftest import action_data, plan_data


def draft_plan(world):
    staff = world.users["bso_staff"]
    plan = plan_create(cluster=world.inside, data=plan_data(), user=staff)
    action_create(plan=plan, data=action_data(title="Joint stand at ProWein", kpis=[]), user=staff)
    return plan


def page(client) -> str:
    response = client.get(reverse("public-cluster", args=["mendoza-wine"]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_plan_is_not_public(client, published):
    draft_plan(published.world)
    body = page(client)
    assert "No competitiveness plan of this cluster is approved yet." in body
    assert "ProWein" not in body


def test_an_approved_plan_shows_its_actions_and_their_status(client, published):
    plan = draft_plan(published.world)
    decision = Decision.objects.create(
        meeting=published.world.committees["inside"].meeting, text="Approve the plan"
    )
    plan_approve(plan=plan, decision=decision, user=published.world.users["bso_staff"])

    body = page(client)

    assert "Version 1, approved by the steering committee on 1 Mar 2025" in body
    assert "Joint stand at ProWein" in body
    assert "In progress" in body
    assert "INTI Mendoza" not in body  # the owner (a person or organisation) stays private
