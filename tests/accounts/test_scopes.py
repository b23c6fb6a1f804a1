"""Each role's scope holds exactly the clusters DESIGN.md gives it."""

import datetime

import pytest

from accounts.models import Role
from accounts.scopes import clusters_in_scope
from tests.factories import ClusterSupportFactory, UserFactory


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_each_role_sees_the_inside_cluster_only(world, role):
    assert list(clusters_in_scope(world.users[role])) == [world.inside]


def test_admin_sees_every_cluster(world):
    assert set(clusters_in_scope(world.users["admin"])) == {world.inside, world.outside}


def test_anonymous_and_roleless_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not clusters_in_scope(AnonymousUser()).exists()
    assert not clusters_in_scope(UserFactory(role="")).exists()


def test_bso_staff_lose_a_cluster_when_the_support_ended(world):
    ClusterSupportFactory(
        bso=world.bso,
        cluster=world.outside,
        since=datetime.date(2019, 1, 1),
        until=datetime.date(2020, 1, 1),
    )
    assert list(clusters_in_scope(world.users["bso_staff"])) == [world.inside]


def test_overlapping_regions_do_not_duplicate_clusters(world):
    regional = UserFactory(role=Role.REGIONAL, region=world.latam)
    assert sorted(c.code for c in clusters_in_scope(regional)) == [
        "atuntaqui-garments",
        "mendoza-wine",
    ]
