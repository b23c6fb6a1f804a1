"""A ministry publishes its country's results page, a regional body its region's (and
administrators any); anyone else, or another country or region, gets 404; every switch is kept."""

import pytest
from django.urls import reverse

from public.models import AreaPublication


def test_ministry_publishes_and_unpublishes_its_country_page(client, world):
    client.force_login(world.users["ministry"])
    url = reverse("country-publication", args=[world.argentina.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"published": "on"}).status_code == 302
    publication = AreaPublication.objects.get(country=world.argentina)
    assert publication.published and publication.changed_by == world.users["ministry"]
    client.post(url, {})
    publication.refresh_from_db()
    assert not publication.published
    assert publication.history.count() == 2
    history = reverse("country-publication-history", args=[world.argentina.pk])
    assert f'href="{history}"' in client.get(url).content.decode()
    assert client.get(history).status_code == 200


def test_regional_body_publishes_its_region_page(client, world):
    client.force_login(world.users["regional"])
    url = reverse("region-publication", args=[world.southern_cone.pk])
    assert client.post(url, {"published": "on"}).status_code == 302
    assert AreaPublication.objects.get(region=world.southern_cone).published


@pytest.mark.parametrize(
    ("role", "name", "area"),
    [
        ("ministry", "country-publication", "ecuador"),
        ("ministry", "region-publication", "southern_cone"),
        ("regional", "country-publication", "argentina"),
        ("regional", "region-publication", "latam"),
        ("bso_staff", "country-publication", "argentina"),
        ("program_officer", "country-publication", "argentina"),
        ("program_officer", "region-publication", "southern_cone"),
    ],
)
def test_out_of_scope_publishing_answers_404(client, world, role, name, area):
    client.force_login(world.users[role])
    url = reverse(name, args=[getattr(world, area).pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"published": "on"}).status_code == 404
    assert not AreaPublication.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("country-publication", args=[world.argentina.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_administrators_publish_any_region(client, world):
    client.force_login(world.users["admin"])
    url = reverse("region-publication", args=[world.latam.pk])
    assert client.post(url, {"published": "on"}).status_code == 302
