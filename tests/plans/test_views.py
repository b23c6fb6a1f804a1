"""Plan pages through the test client: who reads and writes, the frozen version, the revision's
difference, the page's sections (what moved, the money, the benchmark) in bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.rollups import benchmark
from monitoring.rollups.staleness import process_stale
from plans import services
from plans.models import ActionActivity, Plan
from scorecards.services import scorecard_adopt
from tests.dashboards.conftest import START
from tests.factories import ClusterFactory
from tests.monitoring.activity_data import make_activity
from tests.monitoring.rollup_reference import report_with
from tests.plans.conftest import action_data


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("bso_staff", 200),
        ("program_officer", 200),
        ("ministry", 200),
        ("regional", 200),
        ("admin", 200),
    ],
)
def test_every_role_with_the_cluster_in_scope_reads_its_plan(client, planned, role, expected):
    response = signed_in(client, planned, role).get(reverse("plan-detail", args=[planned.plan.pk]))
    assert response.status_code == expected
    html = response.content.decode()
    assert "Lean training for 20 wineries" in html
    may_write = role in {"bso_staff", "admin"}
    assert (reverse("plan-edit", args=[planned.plan.pk]) in html) is may_write


def test_a_plan_outside_the_scope_answers_404(client, planned):
    outside = services.plan_create(
        cluster=planned.outside,
        data={
            "title": "Atuntaqui",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2025, 12, 31),
        },
        user=planned.users["admin"],
    )
    for role in ("bso_staff", "program_officer", "ministry", "regional"):
        client.force_login(planned.users[role])
        assert client.get(reverse("plan-detail", args=[outside.pk])).status_code == 404
        assert client.get(reverse("cluster-plan", args=[planned.outside.pk])).status_code == 404


def test_readers_may_not_write(client, planned):
    signed_in(client, planned, "program_officer")
    answer = client.post(reverse("plan-edit", args=[planned.plan.pk]), {"title": "x"})
    assert answer.status_code == 403


def test_the_cluster_page_of_the_plan_opens_its_latest_version(client, planned):
    signed_in(client, planned, "bso_staff")
    answer = client.get(reverse("cluster-plan", args=[planned.inside.pk]))
    assert answer.url == reverse("plan-detail", args=[planned.plan.pk])


def test_bso_staff_write_a_plan_and_add_an_action(client, planned):
    Plan.objects.all().delete()
    signed_in(client, planned, "bso_staff")
    created = client.post(
        reverse("plan-create", args=[planned.inside.pk]),
        {
            "title": "New plan",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "strengths": "Terroir",
            "benchmark_group": "sector",
        },
    )
    plan = Plan.objects.get()
    assert created.url == plan.get_absolute_url()
    added = client.post(
        reverse("plan-action-new", args=[plan.pk]),
        {
            "title": "Fair",
            "owner": "Chamber",
            "starts_on": "2025-05-01",
            "ends_on": "2025-04-01",
            "currency": "USD",
            "status": "planned",
        },
    )
    assert added.status_code == 400
    assert "The action cannot end before it starts." in added.content.decode()


def test_an_approved_version_refuses_its_forms_with_a_clear_message(client, planned):
    services.plan_approve(
        plan=planned.plan, decision=planned.decision, user=planned.users["bso_staff"]
    )
    signed_in(client, planned, "bso_staff")

    answer = client.post(
        reverse("plan-edit", args=[planned.plan.pk]), {"title": "Changed"}, follow=True
    )

    assert "is frozen: start a revision to change it" in answer.content.decode()
    assert Plan.objects.get().title == "Mendoza wine 2025-2027"


def test_approving_then_revising_shows_the_difference(client, planned):
    signed_in(client, planned, "bso_staff")
    approve = client.post(
        reverse("plan-approve", args=[planned.plan.pk]), {"decision": planned.decision.pk}
    )
    assert approve.status_code == 302
    revised = client.post(reverse("plan-revise", args=[planned.plan.pk]))
    v2 = Plan.objects.get(version=2)
    assert revised.url == v2.get_absolute_url()
    client.post(
        reverse("plan-action-edit", args=[v2.actions.get().pk]),
        {**_form(action_data()), "title": "Lean training for 30 wineries"},
    )

    page = client.get(reverse("plan-changes", args=[v2.pk])).content.decode()

    assert "What changed from version 1 to version 2" in page
    assert "Lean training for 20 wineries" in page and "Lean training for 30 wineries" in page


def _form(data: dict) -> dict:
    return {
        k: ([v.pk for v in value] if isinstance(value, list) else value)
        for k, value in data.items()
        for v in [value]
        if value is not None
    }


def test_an_activity_logged_for_an_action_goes_into_the_log_linked(client, planned):
    signed_in(client, planned, "bso_staff")
    answer = client.post(
        reverse("plan-action-log", args=[planned.action.pk]),
        {
            "bso": planned.bso.pk,
            "date": "2025-03-04",
            "type": "training",
            "title": "Lean day 1",
            "cost_program": "800",
            "currency": "USD",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    link = ActionActivity.objects.get()
    assert (link.action, link.activity.title, link.activity.cluster) == (
        planned.action,
        "Lean day 1",
        planned.inside,
    )


def test_the_plan_page_reads_in_a_fixed_number_of_queries(
    client, planned, django_assert_max_num_queries
):
    """The same number of queries for one action as for seven with three activities each."""
    bso = planned.users["bso_staff"]
    signed_in(client, planned, "bso_staff")
    url = reverse("plan-detail", args=[planned.plan.pk])
    with CaptureQueriesContext(connection) as one_action:
        client.get(url)
    for n in range(6):
        action = services.action_create(
            plan=planned.plan, data=action_data(title=f"Action {n}"), user=bso
        )
        for _ in range(3):
            activity = make_activity(planned.inside, planned.bso, cost_program=100)
            services.action_activity_link(action=action, activity=activity, user=bso)

    with django_assert_max_num_queries(len(one_action)):
        response = client.get(url)

    assert len(one_action) <= 40
    assert response.status_code == 200
    assert response.content.decode().count("data-action=") == 7
    assert len(response.context["benchmark"]) == 1  # thai-lean, the actions' one KPI


@pytest.mark.parametrize("role", ["ministry", "bso_staff"])
def test_the_benchmark_ranks_the_plans_cluster_beyond_the_peers_a_page_lists(
    client, planned, monkeypatch, role
):
    """Seven Argentine clusters, the plan's Mendoza last (5 of thai-lean, higher is better):
    with one peer listed per group, its row is read for the plan alone."""
    monkeypatch.setattr(benchmark, "SHOWN_PER_GROUP", 1)
    for n, lean in enumerate((6, 8, 9, 10, 11)):
        cluster = ClusterFactory(code=f"ar-{n}", name=f"Argentine {n}", country=planned.argentina)
        scorecard_adopt(cluster=cluster, template=planned.template, on=START)
        report_with(cluster, planned.p["q1"], {"thai-lean": lean})
    process_stale()

    response = signed_in(client, planned, role).get(reverse("plan-detail", args=[planned.plan.pk]))

    (item,) = response.context["benchmark"]
    # values 11 10 9 8 7 6 5: the quartiles 6.5 and 9.5, the median 8
    assert (item.group.size, item.group.spread) == (7, benchmark.Spread(6.5, 8, 9.5))
    row = response.content.decode().split('data-benchmark-kpi="thai-lean"')[1].split("</tr>")[0]
    assert "7 / 7" in row
