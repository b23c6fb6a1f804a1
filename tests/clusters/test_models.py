"""Integrity rules the database itself keeps for geography, clusters and committees."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clusters.models import Country
from tests.factories import ClusterFactory, CommitteeMemberFactory, CountryFactory


def test_country_codes_are_unique(db):
    CountryFactory(code="AR", name="Argentina")
    with pytest.raises(IntegrityError):
        Country.objects.create(code="AR", name="Argentine Republic")


def test_country_code_must_be_two_capital_letters(db):
    with pytest.raises(IntegrityError):
        Country.objects.create(code="ar", name="Argentina")


def test_cluster_codes_are_unique(db):
    ClusterFactory(code="mendoza-wine")
    with pytest.raises(IntegrityError):
        ClusterFactory(code="mendoza-wine")


def test_women_led_firms_cannot_exceed_firms(db):
    with pytest.raises(IntegrityError):
        ClusterFactory(number_of_firms=10, women_led_firms=11)


def test_coordinates_come_in_pairs(db):
    with pytest.raises(IntegrityError):
        ClusterFactory(latitude=Decimal("-32.89"), longitude=None)


def test_latitude_stays_on_the_globe(db):
    cluster = ClusterFactory.build(
        country=CountryFactory(), latitude=Decimal("91"), longitude=Decimal("0")
    )
    with pytest.raises(ValidationError) as error:
        cluster.full_clean()
    assert "latitude" in error.value.message_dict


def test_committee_membership_dates_are_in_order(db):
    with pytest.raises(IntegrityError):
        CommitteeMemberFactory(since=datetime.date(2024, 5, 1), until=datetime.date(2024, 1, 1))
