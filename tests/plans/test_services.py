"""Competitiveness plans: what moved, the money, approval and the frozen version, revisions and
their difference, and the activities linked to actions."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import PermissionDenied
from monitoring.models.activities import Activity
from monitoring.rollups.staleness import process_stale
from plans import selectors, services
from plans.models import ActionActivity, Plan
from scorecards.models import Baseline, Level
from scorecards.services import target_set
from tests.monitoring.activity_data import PDF, make_activity
from tests.monitoring.rollup_reference import report_with
from tests.plans.conftest import action_data, kpi, plan_data


def test_a_plan_action_shows_how_far_its_kpi_moved_toward_its_target(planned):
    """thai-lean of `inside`: baseline 2; approved Q1 = 5, Q2 = 8; cluster target for Q2 = 12.
    The latest approved value is Q2's 8: it moved 8 - 2 = +6 from the baseline, and achieved
    (8 - 2) / (12 - 2) = 60% of the way to the target."""
    lean = kpi("thai-lean")
    Baseline.objects.create(cluster=planned.inside, kpi=lean, year=2024, value=2)
    q2 = planned.p["q2"]
    report_with(planned.inside, q2, {"thai-lean": 8})
    target_set(
        kpi=lean,
        period=q2,
        level=Level.CLUSTER,
        unit=planned.inside,
        value=12,
        user=planned.users["admin"],
    )

    process_stale()  # the worker's turn (baselines and targets set by hand mark nothing)
    progress = selectors.kpi_progress(cluster_id=planned.inside.pk, kpis=[lean])[lean.pk]

    assert progress.figure.row.period == q2
    assert (progress.figure.value, progress.figure.baseline, progress.figure.target) == (8, 2, 12)
    assert progress.change == 6
    assert progress.figure.achievement == Decimal("0.6")


def test_a_kpi_without_an_approved_value_has_no_progress(planned):
    returns = kpi("thai-returns")
    report_with(planned.inside, planned.p["q2"], {"thai-lean": 8}, state="submitted")
    lean = kpi("thai-lean")

    progress = selectors.kpi_progress(cluster_id=planned.outside.pk, kpis=[lean, returns])
    assert progress[lean.pk].figure.value == 9  # Atuntaqui's approved Q1, not a draft
    # Q2 of `inside` is only submitted: its latest approved value is still Q1's 5
    inside = selectors.kpi_progress(cluster_id=planned.inside.pk, kpis=[lean])[lean.pk]
    assert (inside.figure.row.period, inside.figure.value) == (planned.p["q1"], 5)
    assert inside.change is None  # no baseline: nothing to say how far it moved


def test_the_money_of_an_action_adds_up_its_activities_by_funding_source(planned):
    """Budget: program 10,000 + firms 2,500 = 12,500 USD. Activities linked: 3,000 program +
    500 firms, then 1,000 program (USD), and 200 of other public funds in ARS. Spent in USD:
    program 4,000, firms 500, total 4,500 = 36% of the budget; the ARS stay apart."""
    bso = planned.users["bso_staff"]
    for costs in (
        {"cost_program": 3000, "cost_firms": 500},
        {"cost_program": 1000},
        {"cost_public": 200, "currency": "ARS"},
    ):
        activity = make_activity(planned.inside, planned.bso, **costs)
        services.action_activity_link(action=planned.action, activity=activity, user=bso)

    (money,) = selectors.money_by_action(selectors.plan_actions(planned.plan))

    spent = {s.source: (s.budget, s.spent) for s in money.sources}
    assert spent == {
        "program": (10000, 4000),
        "firms": (2500, 500),
        "public": (0, 0),
        "credit": (0, 0),
    }
    assert (money.budget, money.spent, money.spent_share) == (12500, 4500, Decimal("0.36"))
    assert money.spent_other == {"ARS": 200}
    assert money.activities == 3


def test_the_steering_committee_approves_a_version_by_a_decision_of_its_own(planned):
    bso = planned.users["bso_staff"]
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(plan=planned.plan, decision=planned.other_decision, user=bso)
    assert "decision" in refused.value.message_dict

    plan = services.plan_approve(plan=planned.plan, decision=planned.decision, user=bso)

    plan.refresh_from_db()
    assert (plan.state, plan.decision, plan.frozen) == ("approved", planned.decision, True)


def test_a_plan_without_actions_is_not_approved(planned):
    bso = planned.users["bso_staff"]
    services.action_delete(action=planned.action, user=bso)
    with pytest.raises(ValidationError, match="without actions"):
        services.plan_approve(plan=planned.plan, decision=planned.decision, user=bso)


def test_an_approved_version_is_frozen(planned, media):
    bso = planned.users["bso_staff"]
    plan = services.plan_approve(plan=planned.plan, decision=planned.decision, user=bso)
    writes = [
        lambda: services.plan_update(plan=plan, data={"title": "Other"}, user=bso),
        lambda: services.action_create(plan=plan, data=action_data(), user=bso),
        lambda: services.action_update(action=planned.action, data={"title": "x"}, user=bso),
        lambda: services.action_delete(action=planned.action, user=bso),
        lambda: services.study_add(plan=plan, file=_pdf(), user=bso),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="is frozen: start a revision to change it"):
            write()
    plan.refresh_from_db()
    assert plan.title == "Mendoza wine 2025-2027"
    assert plan.actions.get().title == "Lean training for 20 wineries"
    # doing the plan is no change of it: activities are still linked to its actions
    activity = make_activity(planned.inside, planned.bso)
    services.action_activity_link(action=planned.action, activity=activity, user=bso)
    assert planned.action.links.count() == 1


def _pdf(name="study.pdf"):
    file = io.BytesIO(PDF)
    file.name = name
    return file


def test_a_revision_copies_the_approved_version_and_shows_what_changed(planned, media):
    bso = planned.users["bso_staff"]
    services.study_add(plan=planned.plan, file=_pdf("diagnostic.pdf"), user=bso)
    dropped = services.action_create(
        plan=planned.plan, data=action_data(title="Joint stand at Vinexpo", kpis=[]), user=bso
    )
    activity = make_activity(planned.inside, planned.bso, cost_program=700)
    services.plan_approve(plan=planned.plan, decision=planned.decision, user=bso)
    services.action_activity_link(action=planned.action, activity=activity, user=bso)

    v2 = services.plan_revise(plan=planned.plan, user=bso)

    assert (v2.version, v2.state, v2.previous_id) == (2, "draft", planned.plan.pk)
    copy = v2.actions.get(origin=planned.action)
    assert list(copy.kpis.all()) == [kpi("thai-lean")]
    assert list(copy.links.values_list("activity_id", flat=True)) == [activity.pk]
    assert v2.studies.get().original_name == "diagnostic.pdf"
    # the revision's changes: a SWOT item, the budget and KPIs of an action, an action each way
    services.plan_update(
        plan=v2,
        data={"threats": "Exchange rate\nHail", "title": "Mendoza wine 2025-2028"},
        user=bso,
    )
    services.action_update(
        action=copy,
        data={"budget_program": Decimal("12000"), "kpis": [kpi("thai-lean"), kpi("thai-returns")]},
        user=bso,
    )
    services.action_delete(action=v2.actions.get(origin=dropped), user=bso)
    services.action_create(plan=v2, data=action_data(title="Export consortium"), user=bso)

    changes = selectors.plan_changes(v2)

    assert [(c.label, c.before, c.after) for c in changes.fields] == [
        ("Title", "Mendoza wine 2025-2027", "Mendoza wine 2025-2028"),
        ("Threats", "", "Hail"),
    ]
    kinds = {(a.kind, a.title): a.changes for a in changes.actions}
    assert set(kinds) == {
        ("changed", "Lean training for 20 wineries"),
        ("removed", "Joint stand at Vinexpo"),
        ("added", "Export consortium"),
    }
    assert [(c.label, c.before, c.after) for c in kinds[("changed", copy.title)]] == [
        ("Budget from the program fund", "10000.00", "12000.00"),
        ("Kpis it should move", "thai-lean", "thai-lean, thai-returns"),
    ]
    # the approved version stays as it was
    assert planned.plan.actions.count() == 2
    assert Plan.objects.get(pk=planned.plan.pk).threats == "Exchange rate"


def test_only_the_latest_approved_version_is_revised(planned):
    bso = planned.users["bso_staff"]
    with pytest.raises(ValidationError, match="still a draft"):
        services.plan_revise(plan=planned.plan, user=bso)
    services.plan_approve(plan=planned.plan, decision=planned.decision, user=bso)
    services.plan_revise(plan=planned.plan, user=bso)
    with pytest.raises(ValidationError, match="newer version"):
        services.plan_revise(plan=planned.plan, user=bso)
    with pytest.raises(ValidationError, match="plan's latest version"):
        services.action_activity_link(
            action=planned.action, activity=make_activity(planned.inside, planned.bso), user=bso
        )


def test_a_cluster_has_one_plan_revised_in_versions(planned):
    with pytest.raises(ValidationError, match="revise it"):
        services.plan_create(
            cluster=planned.inside, data=plan_data(), user=planned.users["bso_staff"]
        )


def test_only_the_clusters_bso_staff_write_its_plan(planned):
    for role in ("program_officer", "ministry", "regional"):
        with pytest.raises(PermissionDenied):
            services.plan_update(plan=planned.plan, data={"title": "x"}, user=planned.users[role])
    with pytest.raises(PermissionDenied, match="outside your scope"):
        services.plan_create(
            cluster=planned.outside, data=plan_data(), user=planned.users["bso_staff"]
        )
    services.plan_update(plan=planned.plan, data={"title": "By admin"}, user=planned.users["admin"])


def test_an_activity_of_another_cluster_is_not_linked(planned):
    other = make_activity(planned.outside, planned.other_bso)
    with pytest.raises(ValidationError, match="plan's cluster"):
        services.action_activity_link(
            action=planned.action, activity=other, user=planned.users["admin"]
        )
    activity = make_activity(planned.inside, planned.bso)
    bso = planned.users["bso_staff"]
    services.action_activity_link(action=planned.action, activity=activity, user=bso)
    with pytest.raises(ValidationError, match="already"):
        services.action_activity_link(action=planned.action, activity=activity, user=bso)


def test_logging_an_activity_for_an_action_writes_the_log_and_links_it(planned):
    bso = planned.users["bso_staff"]
    data = {
        "date": datetime.date(2025, 3, 4),
        "type": "training",
        "title": "Lean day 1",
        "women": 6,
        "men": 9,
        "cost_program": Decimal("800"),
        "currency": "USD",
    }

    activity = services.action_activity_log(action=planned.action, data=data, user=bso)

    assert (activity.cluster, activity.bso, activity.created_by) == (
        planned.inside,
        planned.bso,
        bso,
    )
    assert ActionActivity.objects.get().activity == activity
    # the activity log's rules apply (a future date is refused there)
    with pytest.raises(ValidationError):
        services.action_activity_log(
            action=planned.action, data={**data, "date": datetime.date(2999, 1, 1)}, user=bso
        )
    assert Activity.objects.count() == 1


def test_studies_follow_the_activity_logs_attachment_rules(planned, media):
    bso = planned.users["bso_staff"]
    study = services.study_add(plan=planned.plan, file=_pdf(), user=bso)
    assert (study.extension, study.original_name) == ("pdf", "study.pdf")
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "study.pdf"
    with pytest.raises(ValidationError):
        services.study_add(plan=planned.plan, file=fake, user=bso)
    exe = io.BytesIO(b"MZ....")
    exe.name = "tool.exe"
    with pytest.raises(ValidationError, match="Attach a file of one of these types"):
        services.study_add(plan=planned.plan, file=exe, user=bso)
