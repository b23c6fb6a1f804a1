"""Filters offer only the clusters, BSOs, programs and KPIs in the user's scope, on the pages
and in the API (accounts.filters): a row outside it is an invalid choice, not an empty list
that would confirm it exists."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from scorecards.models import KPI
from tests.factories import BSOFactory

pytestmark = pytest.mark.django_db


def select_options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return set(re.findall(r'<option value="([^"]+)"', select))


def test_the_activity_list_offers_a_bso_user_only_the_bsos_of_its_clusters(world, client):
    BSOFactory(code="unrelated", name="Unrelated BSO")
    client.force_login(world.users["bso_staff"])
    html = client.get(reverse("activity-list")).content.decode()
    assert select_options(html, "bso") == {str(world.bso.pk)}
    assert select_options(html, "cluster") == {str(world.inside.pk)}


def test_the_admin_is_offered_every_bso(world, client):
    client.force_login(world.users["admin"])
    html = client.get(reverse("activity-list")).content.decode()
    assert {str(world.bso.pk), str(world.other_bso.pk)} <= select_options(html, "bso")


def test_a_bso_outside_the_scope_is_refused_on_the_page(world, client):
    client.force_login(world.users["bso_staff"])
    response = client.get(reverse("activity-list"), {"bso": world.other_bso.pk})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("endpoint", "name", "attr"),
    [
        ("api:report-list", "cluster", "outside"),
        ("api:activity-list", "bso", "other_bso"),
        ("api:clustersupport-list", "bso", "other_bso"),
        ("api:target-list", "program", "other_program"),
    ],
)
def test_api_filters_refuse_choices_outside_the_scope(world, endpoint, name, attr):
    api = APIClient()
    api.force_authenticate(world.users["bso_staff"])
    assert api.get(reverse(endpoint), {name: getattr(world, attr).pk}).status_code == 400
    api.force_authenticate(world.users["admin"])
    assert api.get(reverse(endpoint), {name: getattr(world, attr).pk}).status_code == 200


def test_a_cluster_s_own_kpi_is_a_choice_only_in_its_scope(world):
    own = KPI.objects.create(
        code="atuntaqui-own", name="Own", unit="count", cluster=world.outside, status="accepted"
    )
    core = KPI.objects.create(code="core-firms", name="Firms", unit="count")
    api = APIClient()
    api.force_authenticate(world.users["bso_staff"])
    assert api.get(reverse("api:rollup-list"), {"kpi": own.pk}).status_code == 400
    assert api.get(reverse("api:rollup-list"), {"kpi": core.pk}).status_code == 200
