"""The demo's competitiveness plan: Mendoza wine's, approved by its committee's decision, each
action linked to the KPIs it should move and to the activities done for it; the BSO's login
opens it."""

from django.test import Client

from accounts.models import User
from plans.models import Plan


def test_mendoza_wine_has_an_approved_plan_done_through_its_activities(seeded):
    plan = Plan.objects.get()
    assert (plan.cluster.code, plan.version, plan.state) == ("mendoza-wine", 1, "approved")
    assert plan.decision.meeting.committee.cluster == plan.cluster
    for action in plan.actions.all():
        assert action.kpis.exists()
        assert all(link.activity.cluster == plan.cluster for link in action.links.all())
    assert sum(action.links.count() for action in plan.actions.all()) >= 1
    client = Client()
    client.force_login(User.objects.get(username="bso"))
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "Joint stand at the national trade fair" in page.content.decode()
