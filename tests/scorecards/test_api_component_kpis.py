"""The component KPIs API: a cluster's own KPI is refused naming the field, the same link twice
is refused, and the list asks a fixed number of queries."""

import pytest
from django.urls import reverse

from programs.models import Component
from scorecards.models import KPI
from scorecards.services import component_kpi_link

LIST = reverse("api:componentkpi-list")


def a_kpi(code, **fields):
    return KPI.objects.create(
        code=code, name=code, unit="count", aggregation="sum", time_aggregation="sum", **fields
    )


@pytest.fixture
def officer_api(api_client, world):
    api_client.force_authenticate(world.users["program_officer"])
    return api_client


@pytest.fixture
def component(world):
    return Component.objects.create(program=world.program, name="Training")


def test_an_officer_links_a_core_kpi_to_a_component(officer_api, component):
    kpi = a_kpi("trained")
    response = officer_api.post(LIST, {"component": component.pk, "kpi": kpi.pk}, format="json")
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "component": component.pk,
        "program": component.program_id,
        "kpi": kpi.pk,
        "kpi_code": "trained",
    }
    again = officer_api.post(LIST, {"component": component.pk, "kpi": kpi.pk}, format="json")
    assert again.status_code == 400


def test_a_clusters_own_kpi_is_refused_on_the_kpi_field(officer_api, world, component):
    own = a_kpi("own", cluster=world.inside)  # a cluster of the officer's program
    response = officer_api.post(LIST, {"component": component.pk, "kpi": own.pk}, format="json")
    assert response.status_code == 400
    assert "kpi" in response.json()


def test_the_list_asks_a_fixed_number_of_queries(
    officer_api, component, django_assert_max_num_queries
):
    for n in range(20):
        component_kpi_link(component=component, kpi=a_kpi(f"k{n}"))
    with django_assert_max_num_queries(5):
        response = officer_api.get(LIST)
    assert response.json()["count"] == 20
