"""The firm registry's pages: never public, scoped (404 outside), written by BSO staff and
administrators, bounded queries on the list."""

import pytest
from django.urls import reverse

from firms.models import Firm, Membership
from tests.factories import FirmFactory, MembershipFactory

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
WRITERS = {"bso_staff", "admin"}


@pytest.fixture
def firms(world):
    inside = MembershipFactory(cluster=world.inside, firm__name="Bodega Andina").firm
    outside = MembershipFactory(cluster=world.outside, firm__name="Confecciones Norte").firm
    return inside, outside


def test_anonymous_users_are_sent_to_sign_in(client, firms):
    inside, _outside = firms
    for url in (reverse("firm-list"), reverse("firm-detail", args=[inside.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_firms_of_its_scope_only(client, world, firms, role):
    inside, outside = firms
    client.force_login(world.users[role])
    listed = client.get(reverse("firm-list")).content.decode()
    assert "Bodega Andina" in listed
    assert ("Confecciones Norte" in listed) == (role == "admin")
    assert client.get(reverse("firm-detail", args=[inside.pk])).status_code == 200
    outside_status = client.get(reverse("firm-detail", args=[outside.pk])).status_code
    assert outside_status == (200 if role == "admin" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_bso_staff_and_admins_register_firms(client, world, role):
    client.force_login(world.users[role])
    response = client.post(
        reverse("firm-create"),
        {
            "name": "Olivícola Cuyo SRL",
            "tax_id": "30-11111111-1",
            "country": world.argentina.pk,
            "locality": "Maipú",
            "size_class": "small",
            "women_led": "on",
            "founded": "1998",
            "cluster": world.inside.pk,
            "since": "2025-01-01",
        },
    )
    if role in WRITERS:
        firm = Firm.objects.get()
        assert response.status_code == 302
        assert response.url == firm.get_absolute_url()
        assert (firm.tax_id, firm.women_led, firm.founded) == ("30111111111", True, 1998)
        assert Membership.objects.get(firm=firm).cluster == world.inside
    else:
        assert response.status_code == 403
        assert not Firm.objects.exists()


def test_a_refused_firm_keeps_what_was_typed_and_says_why(client, world, firms):
    inside, _outside = firms
    inside.tax_id = "30-22222222-2"
    inside.save()
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("firm-create"),
        {
            "name": "Otra bodega",
            "tax_id": "30222222222",
            "country": world.argentina.pk,
            "cluster": world.inside.pk,
            "since": "2025-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A firm with this tax id is already registered." in html
    assert 'value="Otra bodega"' in html
    assert "aria-describedby" in html


def test_bso_staff_cannot_register_a_firm_in_a_cluster_outside_their_scope(client, world):
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("firm-create"),
        {
            "name": "X",
            "country": world.ecuador.pk,
            "cluster": world.outside.pk,
            "since": "2025-01-01",
        },
    )
    assert response.status_code == 404
    assert not Firm.objects.exists()


def test_bso_staff_edit_a_firm_of_their_cluster_but_not_another(client, world, firms):
    inside, outside = firms
    client.force_login(world.users["bso_staff"])
    data = {"name": "Bodega Andina SA", "country": world.argentina.pk, "locality": "Luján"}
    assert client.post(reverse("firm-edit", args=[inside.pk]), data).status_code == 302
    inside.refresh_from_db()
    assert inside.name == "Bodega Andina SA"
    assert client.post(reverse("firm-edit", args=[outside.pk]), data).status_code == 404
    assert client.get(reverse("firm-history", args=[inside.pk])).status_code == 200


def test_editing_keeps_the_bsos_the_form_does_not_offer(client, world, firms):
    inside, _outside = firms
    inside.bsos.set([world.bso, world.other_bso])  # other_bso: outside the staff's scope
    client.force_login(world.users["bso_staff"])
    form = client.get(reverse("firm-edit", args=[inside.pk])).content.decode()
    assert world.other_bso.name not in form
    data = {"name": inside.name, "country": world.argentina.pk}  # world.bso unticked

    client.post(reverse("firm-edit", args=[inside.pk]), data)

    assert list(inside.bsos.all()) == [world.other_bso]


def test_a_membership_is_added_and_ended_on_the_firms_page(client, world, firms):
    inside, _outside = firms
    membership = inside.memberships.get()
    client.force_login(world.users["bso_staff"])
    url = reverse("firm-membership-edit", args=[inside.pk, membership.pk])
    response = client.post(
        url, {"cluster": world.inside.pk, "since": "2024-01-01", "until": "2025-03-31"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.until) == "2025-03-31"
    overlapping = {"cluster": world.inside.pk, "since": "2025-01-01"}
    response = client.post(reverse("firm-membership-add", args=[inside.pk]), overlapping)
    assert response.status_code == 400
    assert "already a member of this cluster" in response.content.decode()


def test_the_list_searches_and_filters(client, world, firms):
    FirmFactory(name="Viñas del Sol", country=world.argentina, size_class="micro")
    MembershipFactory(firm=Firm.objects.get(name="Viñas del Sol"), cluster=world.inside)
    client.force_login(world.users["admin"])
    html = client.get(reverse("firm-list"), {"q": "viñas"}).content.decode()
    assert "Viñas del Sol" in html and "Bodega Andina" not in html
    html = client.get(reverse("firm-list"), {"country": "ec"}).content.decode()
    assert "Confecciones Norte" in html and "Bodega Andina" not in html
    assert client.get(reverse("firm-list"), {"cluster": "999999"}).status_code == 400


def test_the_list_downloads_its_rows_in_the_imports_columns(
    client, world, firms, django_assert_max_num_queries
):
    inside, _outside = firms
    inside.tax_id, inside.women_led = "30-1", True
    inside.save()
    for n in range(30):
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {n:02d}")
    client.force_login(world.users["bso_staff"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("firm-list"), {"format": "csv", "q": "andina"})
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("\ufeffName,Tax id,Country,Locality")
    assert lines[1:] == [
        f"Bodega Andina,301,{world.argentina.code},Town,wine,,yes,,,,,mendoza-wine"
    ]


def test_the_list_reads_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(60):
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {n:02d}")
    client.force_login(world.users["bso_staff"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("firm-list"))
    assert response.status_code == 200
    assert "60 firms" in response.content.decode()


def test_the_firm_page_reads_a_bounded_number_of_queries(
    client, world, firms, django_assert_max_num_queries
):
    inside, _outside = firms
    inside.bsos.set([world.bso, world.other_bso])
    client.force_login(world.users["bso_staff"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("firm-detail", args=[inside.pk])).status_code == 200


def test_the_duplicates_page_proposes_a_pair_and_merges_it(client, world):
    keep = MembershipFactory(
        cluster=world.inside, firm__name="Bodega Andina", firm__locality="Maipú"
    ).firm
    twin = MembershipFactory(
        cluster=world.inside, firm__name="BODEGA ANDINA S.A.", firm__locality="Maipu"
    ).firm
    client.force_login(world.users["bso_staff"])
    html = client.get(reverse("firm-duplicates")).content.decode()
    merge_url = reverse("firm-merge", args=[keep.pk, twin.pk])
    assert merge_url in html
    assert client.get(merge_url).status_code == 200

    response = client.post(merge_url, {"keep": keep.pk})

    assert response.status_code == 302
    assert not Firm.objects.filter(pk=twin.pk).exists()
    assert keep.memberships.count() == 1  # one span: the two were the same membership


def test_a_firm_outside_the_scope_cannot_be_merged(client, world, firms):
    inside, outside = firms
    client.force_login(world.users["bso_staff"])
    response = client.post(reverse("firm-merge", args=[inside.pk, outside.pk]), {"keep": inside.pk})
    assert response.status_code == 404
    assert Firm.objects.filter(pk=outside.pk).exists()


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional"])
def test_readers_cannot_reach_the_writing_pages(client, world, firms, role):
    inside, _outside = firms
    client.force_login(world.users[role])
    for url in (
        reverse("firm-create"),
        reverse("firm-edit", args=[inside.pk]),
        reverse("firm-import"),
        reverse("firm-duplicates"),
    ):
        assert client.get(url).status_code == 403, url


def test_the_writing_pages_read_a_bounded_number_of_queries(
    client, world, firms, django_assert_max_num_queries
):
    inside, _outside = firms
    for n in range(40):
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {n:02d}")
    client.force_login(world.users["bso_staff"])
    for url in (
        reverse("firm-edit", args=[inside.pk]),
        reverse("firm-membership-add", args=[inside.pk]),
        reverse("firm-duplicates"),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url
