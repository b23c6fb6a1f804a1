"""Logging activities: who may log them for which cluster and BSO, and what is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import PermissionDenied
from monitoring.activities.services import activity_create, activity_delete, activity_update
from monitoring.models.activities import JOINT_ACTION_TYPES, Activity, ActivityType
from tests.factories import ActionItemFactory


def data(world, **fields):
    return {
        "cluster": world.inside,
        "date": datetime.date(2025, 3, 3),
        "type": ActivityType.TRAINING,
        "title": "Pruning course",
        "women": 3,
        "men": 4,
        "cost_program": Decimal("100.00"),
        "cost_firms": Decimal("50"),
        "currency": "usd",
        **fields,
    }


def test_bso_staff_log_an_activity_for_their_cluster_under_their_own_bso(world):
    activity = activity_create(data=data(world), user=world.users["bso_staff"])

    assert activity.bso == world.bso
    assert activity.created_by == world.users["bso_staff"]
    assert activity.currency == "USD"
    assert activity.total_cost == Decimal("150.00")


def test_bso_staff_cannot_log_for_a_cluster_outside_their_scope(world):
    with pytest.raises(PermissionDenied):
        activity_create(data=data(world, cluster=world.outside), user=world.users["bso_staff"])
    assert not Activity.objects.exists()


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional"])
def test_readers_cannot_log_activities(world, role):
    with pytest.raises(PermissionDenied):
        activity_create(data=data(world, bso=world.bso), user=world.users[role])


def test_bso_staff_cannot_log_in_the_name_of_another_bso(world):
    with pytest.raises(ValidationError) as error:
        activity_create(data=data(world, bso=world.other_bso), user=world.users["bso_staff"])
    assert "bso" in error.value.message_dict


def test_the_bso_named_must_support_the_cluster_on_the_date(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as error:
        activity_create(data=data(world, bso=world.other_bso), user=admin)
    assert "bso" in error.value.message_dict
    before_support = data(world, bso=world.bso, date=datetime.date(2019, 12, 31))
    with pytest.raises(ValidationError):
        activity_create(data=before_support, user=admin)
    assert activity_create(data=data(world, bso=world.bso), user=admin).pk


def test_the_action_item_must_belong_to_the_same_cluster(world):
    other_item = world.committees["outside"].item
    with pytest.raises(ValidationError) as error:
        activity_create(
            data=data(world, action_item=other_item, bso=world.bso), user=world.users["admin"]
        )
    assert "action_item" in error.value.message_dict
    own_item = ActionItemFactory(committee=world.committees["inside"].committee)
    activity = activity_create(
        data=data(world, action_item=own_item), user=world.users["bso_staff"]
    )
    assert activity.action_item == own_item


def test_negative_costs_future_dates_and_bad_currencies_are_refused(world):
    user = world.users["bso_staff"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    for wrong, field in (
        ({"cost_firms": Decimal("-1")}, "cost_firms"),
        ({"date": tomorrow}, "date"),
        ({"currency": "dollars"}, "currency"),
    ):
        with pytest.raises(ValidationError) as error:
            activity_create(data=data(world, **wrong), user=user)
        assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_updating_and_deleting_follow_the_same_scope(world):
    activity = activity_create(data=data(world), user=world.users["bso_staff"])
    activity_update(activity=activity, data={"title": "Pruning II"}, user=world.users["bso_staff"])
    assert Activity.objects.get().title == "Pruning II"
    with pytest.raises(PermissionDenied):
        activity_update(
            activity=activity, data={"cluster": world.outside}, user=world.users["bso_staff"]
        )
    with pytest.raises(PermissionDenied):
        activity_delete(activity=activity, user=world.users["program_officer"])
    activity_delete(activity=Activity.objects.get(), user=world.users["bso_staff"])
    assert not Activity.objects.exists()


def test_the_joint_action_kinds_are_the_cooperation_among_firms():
    assert ActivityType.TRADE_FAIR in JOINT_ACTION_TYPES
    assert ActivityType.EXPORT_CONSORTIUM in JOINT_ACTION_TYPES
    assert ActivityType.TRAINING not in JOINT_ACTION_TYPES
    assert ActivityType.STEERING_MEETING not in JOINT_ACTION_TYPES


def test_the_component_must_be_of_a_program_that_enrols_the_cluster(world):
    from programs.models import Component

    own = Component.objects.create(program=world.program, name="Joint marketing", budget=0)
    other = Component.objects.create(program=world.other_program, name="Training", budget=0)
    user = world.users["bso_staff"]
    with pytest.raises(ValidationError) as error:
        activity_create(data=data(world, component=other), user=user)
    assert "component" in error.value.message_dict
    assert activity_create(data=data(world, component=own), user=user).component == own
