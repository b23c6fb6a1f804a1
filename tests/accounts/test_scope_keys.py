"""The scope key shared caches are keyed by (accounts.scope_keys): users who share a key share
every scope the rules of accounts.scopes build for them; users of different scopes never share
a key."""

from itertools import combinations

import pytest
from django.core.exceptions import EmptyResultSet

from accounts.models import Role
from accounts.scope_keys import scope_key
from accounts.scopes import (
    clusters_in_scope,
    countries_in_scope,
    programs_in_scope,
    regions_in_scope,
    rollup_units,
    scope_reports,
)
from monitoring.models import Report
from tests.factories import UserFactory


def sql(queryset) -> str:
    if queryset is None:
        return "all"
    try:
        return str(queryset.query)
    except EmptyResultSet:
        return "none"


def scopes(user) -> list[str]:
    """The SQL of every scope accounts.scopes builds for the user (ids and dates included)."""
    units = rollup_units(user)
    return [
        sql(clusters_in_scope(user)),
        *(f"{level}={sql(units[level])}" for level in sorted(units)),
        sql(scope_reports(Report.objects.all(), user)),
        sql(countries_in_scope(user)),
        sql(regions_in_scope(user)),
        sql(programs_in_scope(user)),
    ]


@pytest.fixture
def users(world):
    """Two users of every scope of the world, and users of neighbouring scopes."""
    made = list(world.users.values())
    made += [
        UserFactory(role=Role.BSO_STAFF, bso=world.bso),
        UserFactory(role=Role.BSO_STAFF, bso=world.other_bso),
        UserFactory(role=Role.PROGRAM_OFFICER, programs=[world.program]),
        UserFactory(role=Role.PROGRAM_OFFICER, programs=[world.other_program]),
        UserFactory(role=Role.MINISTRY, country=world.argentina),
        UserFactory(role=Role.MINISTRY, country=world.ecuador),
        UserFactory(role=Role.REGIONAL, region=world.southern_cone),
        UserFactory(role=Role.REGIONAL, region=world.latam),
        UserFactory(role=Role.ADMIN),
        UserFactory(role=Role.BSO_STAFF, bso=world.bso, is_superuser=True),
        UserFactory(role=Role.MINISTRY, country=world.argentina, is_active=False),
    ]
    return made


def test_users_who_share_a_key_share_every_scope(users):
    for a, b in combinations(users, 2):
        if scope_key(a) == scope_key(b):
            assert scopes(a) == scopes(b), (a.username, b.username)


def test_users_of_different_scopes_never_share_a_key(users):
    for a, b in combinations(users, 2):
        if scopes(a) != scopes(b):
            assert scope_key(a) != scope_key(b), (a.username, b.username)


def test_users_of_one_country_or_one_bso_share_a_key(world):
    ministry = world.users["ministry"]
    colleague = UserFactory(role=Role.MINISTRY, country=world.argentina)
    bso_colleague = UserFactory(role=Role.BSO_STAFF, bso=world.bso)

    assert scope_key(colleague) == scope_key(ministry)
    assert scope_key(bso_colleague) == scope_key(world.users["bso_staff"])
