"""Counts of firms above a cluster count distinct firms."""

import datetime

import pytest

from clusters.models import Cluster
from firms.selectors import firm_count, firm_count_of_country, firm_counts_by_cluster
from tests.factories import ClusterFactory, FirmFactory, MembershipFactory

D = datetime.date
ON = D(2025, 6, 30)


@pytest.fixture
def members(world):
    """Argentina: `inside` with firms A, B, C; `san_juan` with C, D (C in both); and E, whose
    membership of `inside` ended in 2024. Ecuador: `outside` with F."""
    san_juan = ClusterFactory(code="san-juan-wine", country=world.argentina)
    firms = {n: FirmFactory(name=n, country=world.argentina) for n in "ABCDE"}
    firms["F"] = FirmFactory(name="F", country=world.ecuador)
    for name in "ABC":
        MembershipFactory(firm=firms[name], cluster=world.inside)
    for name in "CD":
        MembershipFactory(firm=firms[name], cluster=san_juan)
    MembershipFactory(firm=firms["E"], cluster=world.inside, until=D(2024, 12, 31))
    MembershipFactory(firm=firms["F"], cluster=world.outside)
    return san_juan


def test_a_firm_in_two_clusters_of_a_country_counts_once_nationally(world, members):
    # inside {A, B, C} + san_juan {C, D} = 3 + 2 = 5 memberships, but {A, B, C, D} = 4 firms
    assert firm_counts_by_cluster(Cluster.objects.all(), on=ON) == {
        world.inside.pk: 3,
        members.pk: 2,
        world.outside.pk: 1,
    }
    assert firm_count_of_country(world.argentina.pk, on=ON) == 4
    # all clusters: {A, B, C, D} + {F} = 5
    assert firm_count(Cluster.objects.all(), on=ON) == 5


def test_a_membership_counts_on_the_dates_it_spans(world, members):
    # on 2024-06-30 E was still in `inside`: {A, B, C, E} + {C, D} = {A, B, C, D, E}
    assert firm_count_of_country(world.argentina.pk, on=D(2024, 6, 30)) == 5


def test_the_cluster_dashboard_shows_its_member_firms(client, world, members):
    client.force_login(world.users["bso_staff"])
    html = client.get(f"/dashboards/cluster/{world.inside.pk}/").content.decode()
    assert 'data-stat="registry-firms"' in html
    assert f'?cluster={world.inside.pk}">3</a>' in html


def test_the_national_dashboard_counts_distinct_firms(client, world, members):
    client.force_login(world.users["ministry"])
    response = client.get(f"/dashboards/country/{world.argentina.pk}/")
    assert response.status_code == 200
    assert "4 firms in the registry" in response.content.decode()
