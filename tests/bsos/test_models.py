"""One lead BSO per cluster at a time; support dates in order."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bsos.models import ClusterSupport
from tests.factories import BSOFactory, ClusterFactory, ClusterSupportFactory

LEAD = ClusterSupport.Role.LEAD


def test_the_database_refuses_a_second_open_lead(db):
    cluster = ClusterFactory()
    ClusterSupportFactory(cluster=cluster, role=LEAD)
    with pytest.raises(IntegrityError):
        ClusterSupportFactory(cluster=cluster, role=LEAD)


def _cluster_led_from_2018_to_2020():
    cluster = ClusterFactory()
    ClusterSupportFactory(
        cluster=cluster,
        role=LEAD,
        since=datetime.date(2018, 1, 1),
        until=datetime.date(2020, 12, 31),
    )
    return cluster


def test_a_new_lead_may_follow_one_that_ended(db):
    cluster = _cluster_led_from_2018_to_2020()
    successor = ClusterSupport(
        bso=BSOFactory(), cluster=cluster, role=LEAD, since=datetime.date(2021, 1, 1)
    )
    successor.full_clean()
    successor.save()
    assert cluster.supports.filter(role=LEAD).count() == 2


def test_overlapping_lead_spans_are_refused_by_validation(db):
    cluster = _cluster_led_from_2018_to_2020()
    overlapping = ClusterSupport(
        bso=BSOFactory(),
        cluster=cluster,
        role=LEAD,
        since=datetime.date(2019, 1, 1),
        until=datetime.date(2019, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "role" in error.value.message_dict


def test_partners_may_overlap_the_lead(db):
    cluster = ClusterFactory()
    ClusterSupportFactory(cluster=cluster, role=LEAD)
    partner = ClusterSupport(
        bso=BSOFactory(),
        cluster=cluster,
        role=ClusterSupport.Role.PARTNER,
        since=datetime.date(2021, 1, 1),
    )
    partner.full_clean()


def test_support_dates_are_in_order(db):
    with pytest.raises(IntegrityError):
        ClusterSupportFactory(since=datetime.date(2024, 5, 1), until=datetime.date(2024, 1, 1))
