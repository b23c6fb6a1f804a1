"""Every role against /api/v1/firms/ and /api/v1/firm-memberships/, reading and writing, inside
and outside its scope. Firm details are never public: anonymous users get 401; signed-in users
read their scope; BSO staff and administrators write it; outside the scope answers 404."""

import pytest
from django.urls import reverse

from firms.models import Firm, Membership
from tests.factories import MembershipFactory

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
WRITERS = {"bso_staff", "admin"}
NAMES = ["firm", "firmmembership"]


@pytest.fixture
def registry(world):
    inside = MembershipFactory(cluster=world.inside, firm__name="Bodega Andina")
    outside = MembershipFactory(cluster=world.outside, firm__name="Confecciones Norte")
    return {"inside": inside, "outside": outside}


def obj(registry, name, where):
    membership = registry[where]
    return membership.firm if name == "firm" else membership


def login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


def payload(world, registry, name, where="inside"):
    cluster = world.inside if where == "inside" else world.outside
    if name == "firm":
        return {
            "name": "Olivícola Cuyo SRL",
            "country": cluster.country.code,
            "tax_id": "30-555",
            "cluster": cluster.pk,
            "since": "2025-01-01",
        }
    return {
        "firm": registry[where].firm.pk,
        "cluster": cluster.pk,
        "since": "2020-01-01",
        "until": "2020-12-31",
    }


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_users_read_nothing(api_client, world, registry, name):
    assert api_client.get(reverse(f"api:{name}-list")).status_code == 401
    detail = reverse(f"api:{name}-detail", args=[obj(registry, name, "inside").pk])
    assert api_client.get(detail).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", NAMES)
def test_lists_hold_only_the_users_scope(api_client, world, registry, role, name):
    client = login(api_client, world, role)
    ids = {row["id"] for row in client.get(reverse(f"api:{name}-list")).json()["results"]}
    inside, outside = obj(registry, name, "inside").pk, obj(registry, name, "outside").pk
    assert ids == ({inside, outside} if role == "admin" else {inside})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", NAMES)
def test_an_object_outside_the_scope_answers_404(api_client, world, registry, role, name):
    client = login(api_client, world, role)
    inside = reverse(f"api:{name}-detail", args=[obj(registry, name, "inside").pk])
    outside = reverse(f"api:{name}-detail", args=[obj(registry, name, "outside").pk])
    assert client.get(inside).status_code == 200
    assert client.get(outside).status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", NAMES)
def test_bso_staff_and_admins_write_in_scope(api_client, world, registry, role, name):
    client = login(api_client, world, role)
    target = obj(registry, name, "inside")
    create = client.post(reverse(f"api:{name}-list"), payload(world, registry, name), format="json")
    update = client.patch(reverse(f"api:{name}-detail", args=[target.pk]), {}, format="json")
    delete = client.delete(reverse(f"api:{name}-detail", args=[target.pk]))
    statuses = (create.status_code, update.status_code, delete.status_code)
    if role is None:
        assert statuses == (401, 401, 401)
    elif role in WRITERS:
        assert statuses == (201, 200, 204), create.json()
    else:
        assert statuses == (403, 403, 403)


@pytest.mark.parametrize("name", NAMES)
def test_bso_staff_cannot_write_outside_their_scope(api_client, world, registry, name):
    client = login(api_client, world, "bso_staff")
    target = obj(registry, name, "outside")
    create = client.post(
        reverse(f"api:{name}-list"), payload(world, registry, name, "outside"), format="json"
    )
    update = client.patch(
        reverse(f"api:{name}-detail", args=[target.pk]), {"name": "x"}, format="json"
    )
    delete = client.delete(reverse(f"api:{name}-detail", args=[target.pk]))
    assert (create.status_code, update.status_code, delete.status_code) == (404, 404, 404)
    assert type(target).objects.filter(pk=target.pk).exists()


def test_a_firm_created_through_the_api_is_a_member_of_its_cluster(api_client, world, registry):
    client = login(api_client, world, "bso_staff")
    response = client.post(
        reverse("api:firm-list"), payload(world, registry, "firm"), format="json"
    )
    firm = Firm.objects.get(pk=response.json()["id"])
    assert response.json()["tax_id"] == "30555"
    assert Membership.objects.get(firm=firm).cluster == world.inside
    no_cluster = {**payload(world, registry, "firm"), "tax_id": "", "cluster": None}
    refused = client.post(reverse("api:firm-list"), no_cluster, format="json")
    assert refused.status_code == 400
    assert "cluster" in refused.json()


def test_an_overlapping_membership_is_refused_per_field(api_client, world, registry):
    client = login(api_client, world, "bso_staff")
    body = {"firm": registry["inside"].firm.pk, "cluster": world.inside.pk, "since": "2025-01-01"}
    response = client.post(reverse("api:firmmembership-list"), body, format="json")
    assert response.status_code == 400
    assert "since" in response.json()


@pytest.mark.parametrize("name", NAMES)
def test_the_list_reads_a_bounded_number_of_queries(
    api_client, world, name, django_assert_max_num_queries
):
    for n in range(40):
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {n:02d}").firm.bsos.set(
            [world.bso]
        )
    client = login(api_client, world, "bso_staff")
    with django_assert_max_num_queries(10):
        response = client.get(reverse(f"api:{name}-list"))
    assert response.json()["count"] == 40


def test_the_firms_filters(api_client, world, registry):
    client = login(api_client, world, "admin")
    found = client.get(reverse("api:firm-list"), {"q": "andina"}).json()["results"]
    assert [row["name"] for row in found] == ["Bodega Andina"]
    found = client.get(reverse("api:firm-list"), {"cluster": world.outside.pk}).json()["results"]
    assert [row["name"] for row in found] == ["Confecciones Norte"]
