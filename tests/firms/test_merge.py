"""Merging two records of one firm keeps every link (memberships, BSOs, activities) and both
histories, in one transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from firms.models import Firm, Membership
from firms.services import firm_merge
from tests.factories import BSOFactory, ClusterFactory, FirmFactory, MembershipFactory
from tests.monitoring.activity_data import make_activity

D = datetime.date


@pytest.fixture
def pair(world):
    """`keep` (in `inside` since 2024) and `absorb` (in `inside` from 2023 to mid-2024, and in a
    second Argentine cluster), each with BSOs and activities, one BSO and one activity shared."""
    second = ClusterFactory(code="san-juan-wine", country=world.argentina)
    keep = FirmFactory(name="Bodega Los Andes", country=world.argentina, locality="Maipú")
    absorb = FirmFactory(
        name="Bodega Los Andes S.A.",
        country=world.argentina,
        locality="Maipu",
        tax_id="30-71234567-8",
        contact_name="Ana Pérez",
    )
    MembershipFactory(firm=keep, cluster=world.inside, since=D(2024, 1, 1))
    MembershipFactory(firm=absorb, cluster=world.inside, since=D(2023, 1, 1), until=D(2024, 6, 30))
    MembershipFactory(firm=absorb, cluster=second, since=D(2024, 3, 1))
    shared_bso, own_bso = world.bso, BSOFactory()
    keep.bsos.set([shared_bso])
    absorb.bsos.set([shared_bso, own_bso])
    both = make_activity(world.inside, world.bso, title="Both came")
    only_absorbed = make_activity(world.inside, world.bso, title="Only the S.A.")
    both.participant_firms.set([keep, absorb])
    only_absorbed.participant_firms.set([absorb])
    return keep, absorb, second, own_bso, both, only_absorbed


def test_the_firm_kept_takes_every_link_of_the_other(world, pair):
    keep, absorb, second, own_bso, both, only_absorbed = pair

    firm_merge(keep=keep, absorb=absorb)

    assert not Firm.objects.filter(pk=absorb.pk).exists()
    spans = sorted(Membership.objects.filter(firm=keep).values_list("cluster_id", "since", "until"))
    # inside: 2023-01-01..2024-06-30 overlaps 2024-01-01..open -> one span 2023-01-01..open
    assert spans == sorted(
        [(world.inside.pk, D(2023, 1, 1), None), (second.pk, D(2024, 3, 1), None)]
    )
    assert set(keep.bsos.all()) == {world.bso, own_bso}
    assert list(both.participant_firms.all()) == [keep]  # not twice
    assert list(only_absorbed.participant_firms.all()) == [keep]


def test_blank_details_of_the_kept_firm_are_filled_from_the_other(pair):
    keep, absorb, *_ = pair

    firm_merge(keep=keep, absorb=absorb)

    keep.refresh_from_db()
    assert (keep.tax_id, keep.contact_name, keep.name) == (
        "30712345678",
        "Ana Pérez",
        "Bodega Los Andes",
    )


def test_both_histories_stay_and_say_what_happened(pair):
    keep, absorb, *_ = pair
    absorbed_rows = absorb.history.count()

    firm_merge(keep=keep, absorb=absorb)

    history = Firm.history.filter(id=absorb.pk).order_by("history_date")
    assert history.count() == absorbed_rows + 1  # all its changes, then its deletion
    assert history.last().history_type == "-"
    assert f"#{keep.pk}" in history.last().history_change_reason
    latest = keep.history.first()
    assert f"#{absorb.pk}" in latest.history_change_reason
    moved = Membership.history.filter(firm_id=keep.pk, history_type="~")
    assert moved.exists()  # the moved memberships record their move


def test_a_refused_merge_changes_nothing(pair, monkeypatch):
    keep, absorb, *_ = pair
    keep.email = "broken"  # the kept firm fails its validation at the end
    Firm.objects.filter(pk=keep.pk).update(email="not-an-email")

    with pytest.raises(ValidationError):
        firm_merge(keep=keep, absorb=absorb)

    assert Firm.objects.filter(pk=absorb.pk).exists()
    assert Membership.objects.filter(firm=absorb).count() == 2
    assert absorb.activities.count() == 2


def test_a_firm_is_not_merged_with_itself(pair):
    keep, *_ = pair
    with pytest.raises(ValidationError):
        firm_merge(keep=keep, absorb=keep)
