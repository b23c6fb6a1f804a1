"""KPI values derived from the activity log: hand-worked numbers, each activity counted once."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.reports.derived import derived_values
from scorecards.models import KPI, Period
from scorecards.services import periods_generate
from tests.factories import ActionItemFactory
from tests.monitoring.activity_data import make_activity

Source = KPI.LogSource


@pytest.fixture
def q1(db):
    periods_generate(first_year=2025, last_year=2025)
    return Period.objects.get(year=2025, quarter=1)


def kpi(code, source, **fields):
    values = {"name": code, "unit": "count", "aggregation": "sum", "time_aggregation": "sum"}
    return KPI.objects.create(code=code, log_source=source, **{**values, **fields})


def test_people_trained_add_up_women_and_men_of_training_activities_only(world, q1):
    # Two trainings: 3 + 2 women, 4 + 1 men; a workshop's participants do not count.
    make_activity(world.inside, world.bso, type="training", women=3, men=4)
    make_activity(world.inside, world.bso, type="training", women=2, men=1)
    make_activity(world.inside, world.bso, type="workshop", women=9, men=9)
    split = kpi("trained", Source.TRAINING_PARTICIPANTS, by_sex=True)
    total = kpi("trained-total", Source.TRAINING_PARTICIPANTS)
    women = kpi("trained-women", Source.TRAINING_WOMEN)
    men = kpi("trained-men", Source.TRAINING_MEN)

    values = derived_values(world.inside, q1)

    # women 3 + 2 = 5, men 4 + 1 = 5, total 10
    assert values[split.pk] == {"value_women": 5, "value_men": 5, "value": 10}
    assert values[total.pk] == {"value": 10}
    assert values[women.pk] == {"value": 5}
    assert values[men.pk] == {"value": 5}


def test_joint_actions_count_each_activity_once_whatever_it_is_linked_to(world, q1):
    item = ActionItemFactory(committee=world.committees["inside"].committee)
    linked = make_activity(world.inside, world.bso, type="trade_fair", action_item=item)
    linked.attachments.create(extension="pdf", original_name="a.pdf", size=1, file="x/a.pdf")
    linked.attachments.create(extension="pdf", original_name="b.pdf", size=1, file="x/b.pdf")
    make_activity(world.inside, world.bso, type="export_consortium")
    make_activity(world.inside, world.bso, type="training")
    joint = kpi("joint", Source.JOINT_ACTIONS)

    # a trade fair (linked to an item, two files) + an export consortium = 2
    assert derived_values(world.inside, q1)[joint.pk] == {"value": Decimal(2)}


def test_firms_share_of_cost_is_their_contribution_over_the_total(world, q1):
    make_activity(world.inside, world.bso, cost_firms=30, cost_program=50, cost_public=20)
    ratio = kpi(
        "firms-share",
        Source.FIRMS_COST_SHARE,
        unit="percent",
        aggregation="ratio",
        time_aggregation="sum",
    )
    percent = kpi("firms-share-pct", Source.FIRMS_COST_SHARE, unit="percent", aggregation="mean")

    values = derived_values(world.inside, q1)

    # 30 / (30 + 50 + 20) = 30%
    assert values[ratio.pk] == {"numerator": Decimal(30), "denominator": Decimal(100)}
    assert values[percent.pk] == {"value": Decimal("30.0000")}


def test_costs_in_two_currencies_give_no_share(world, q1):
    make_activity(world.inside, world.bso, cost_firms=30, currency="USD")
    make_activity(world.inside, world.bso, cost_firms=30, cost_program=10, currency="ARS")
    share = kpi("firms-share", Source.FIRMS_COST_SHARE, unit="percent", aggregation="ratio")
    joint = kpi("joint", Source.JOINT_ACTIONS)

    values = derived_values(world.inside, q1)

    assert share.pk not in values
    assert values[joint.pk] == {"value": 0}


def test_only_the_clusters_activities_inside_the_period_count(world, q1):
    make_activity(
        world.inside, world.bso, type="training", women=1, date=datetime.date(2025, 3, 31)
    )
    make_activity(world.inside, world.bso, type="training", women=7, date=datetime.date(2025, 4, 1))
    make_activity(world.outside, world.other_bso, type="training", women=7)
    women = kpi("trained-women", Source.TRAINING_WOMEN)

    assert derived_values(world.inside, q1)[women.pk] == {"value": 1}


def test_nothing_is_derived_without_any_activity_in_the_period(world, q1):
    kpi("joint", Source.JOINT_ACTIONS)
    assert derived_values(world.inside, q1) == {}


def test_a_kpi_whose_unit_does_not_fit_its_source_gets_nothing(world, q1):
    make_activity(world.inside, world.bso, type="trade_fair")
    money = kpi("joint-money", Source.JOINT_ACTIONS, unit="currency", aggregation="sum")
    assert money.pk not in derived_values(world.inside, q1)


# --- The report page --------------------------------------------------------------------------


def test_the_report_page_prefills_empty_values_from_the_log_marked_as_derived(thai, client):
    KPI.objects.filter(code="thai-skills-participants").update(
        log_source=Source.TRAINING_PARTICIPANTS
    )
    make_activity(thai.inside, thai.bso, type="training", women=3, men=4)
    make_activity(thai.inside, thai.bso, type="training", women=2, men=1)
    skills = KPI.objects.get(code="thai-skills-participants")
    client.force_login(thai.users["bso_staff"])

    page = client.get(reverse("report-detail", args=[thai.report.pk])).content.decode()

    assert "derived from the activity log" in page
    assert f'name="kpi-{skills.pk}-value_women" value="5"' in page
    assert f'name="kpi-{skills.pk}-value_men" value="5"' in page
    assert f'name="kpi-{skills.pk}-value" value="10"' in page


def test_a_stored_value_is_never_replaced_by_the_derived_one(thai, client):
    from monitoring.reports.services import report_record_values

    KPI.objects.filter(code="thai-skills-participants").update(
        log_source=Source.TRAINING_PARTICIPANTS
    )
    skills = KPI.objects.get(code="thai-skills-participants")
    report_record_values(
        report=thai.report,
        rows={skills.pk: {"value_women": "1", "value_men": "1", "value": "2"}},
        user=thai.users["bso_staff"],
    )
    make_activity(thai.inside, thai.bso, type="training", women=3, men=4)
    client.force_login(thai.users["bso_staff"])

    page = client.get(reverse("report-detail", args=[thai.report.pk])).content.decode()

    assert f'name="kpi-{skills.pk}-value" value="2"' in page
    assert "derived from the activity log" not in page


def test_readers_see_no_derived_suggestions(thai, client):
    KPI.objects.filter(code="thai-skills-participants").update(
        log_source=Source.TRAINING_PARTICIPANTS
    )
    make_activity(thai.inside, thai.bso, type="training", women=3, men=4)
    client.force_login(thai.users["program_officer"])

    page = client.get(reverse("report-detail", args=[thai.report.pk])).content.decode()

    assert "derived from the activity log" not in page
