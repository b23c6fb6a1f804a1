"""Knowledge exchange pages: the public index and pages show published case studies and visits
only (searchable), staff pages answer 404 outside the scope, and the lists' queries are
bounded."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from public.exchange import services
from public.exchange.models import CaseStudy
from tests.monitoring.activity_data import PNG

INDEX = reverse("knowledge")


def listed(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-case-study="(\d+)"', html)}


def test_unpublished_case_studies_are_absent_from_the_public_pages(exchange, client):
    html = client.get(INDEX).content.decode()

    assert listed(html) == {exchange.shown.pk}
    assert "Secret draft" not in html and "Atuntaqui fair" not in html
    assert client.get(reverse("case-study", args=[exchange.draft.pk])).status_code == 404
    assert client.get(reverse("case-study", args=[exchange.shown.pk])).status_code == 200


def test_the_public_index_searches_case_studies_and_visits(exchange, client):
    by_word = client.get(INDEX, {"q": "brand wine"}).content.decode()
    none = client.get(INDEX, {"q": "barrels"}).content.decode()  # only in the unpublished draft
    visits = client.get(INDEX, {"q": "garment"}).content.decode()

    assert listed(by_word) == {exchange.shown.pk}
    assert listed(none) == set()
    assert f'data-visit="{exchange.visit.pk}"' in visits
    assert listed(client.get(INDEX, {"topic": "export"}).content.decode()) == {exchange.shown.pk}
    assert listed(client.get(INDEX, {"topic": "governance"}).content.decode()) == set()


def test_an_unpublished_visit_is_not_public(exchange, client):
    exchange.visit.published = False
    exchange.visit.save()

    assert f'data-visit="{exchange.visit.pk}"' not in client.get(INDEX).content.decode()
    assert client.get(reverse("exchange-visit", args=[exchange.visit.pk])).status_code == 404


def test_a_published_visit_shows_who_visited_whom_and_who_took_part(exchange, client):
    html = client.get(reverse("exchange-visit", args=[exchange.visit.pk])).content.decode()

    assert "Mendoza wine visiting Atuntaqui garments" in html
    assert "5: 3 women, 2 men" in html
    assert "Shared stands cut costs." in html


@pytest.mark.parametrize(
    ("name", "target", "status"),
    [
        ("case-study-edit", "draft", 200),
        ("case-study-edit", "foreign", 404),
        ("exchange-visit-edit", "visit", 200),
    ],
)
def test_staff_pages_answer_404_outside_the_scope(exchange, client, name, target, status):
    client.force_login(exchange.world.users["bso_staff"])

    response = client.get(reverse(name, args=[getattr(exchange, target).pk]))

    assert response.status_code == status


def test_a_visit_between_clusters_outside_the_scope_answers_404(exchange, client):
    exchange.visit.visitor = exchange.world.outside
    exchange.visit.host = exchange.world.inside
    exchange.visit.save()
    client.force_login(exchange.world.users["program_officer"])  # reads, never writes

    assert client.get(reverse("exchange-visit-edit", args=[exchange.visit.pk])).status_code == 404
    client.force_login(exchange.world.users["bso_staff"])
    exchange.visit.visitor = exchange.world.outside
    exchange.visit.host = exchange.world.outside.__class__.objects.create(
        code="otavalo", name="Otavalo", country=exchange.world.ecuador
    )
    exchange.visit.save()
    assert client.get(reverse("exchange-visit-edit", args=[exchange.visit.pk])).status_code == 404
    log = client.post(reverse("exchange-visit-log", args=[exchange.visit.pk]))
    assert log.status_code == 404


def test_staff_write_a_case_study_and_publish_it(exchange, client):
    world = exchange.world
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("case-study-new"),
        {
            "cluster": world.inside.pk,
            "title": "Joint purchasing of corks",
            "summary": "Cheaper corks.",
            "body": "We bought together.",
            "sector_family": "natural_resource",
            "topics": [exchange.governance.pk],
            "published": "on",
        },
    )

    study = CaseStudy.objects.get(title="Joint purchasing of corks")
    assert response.status_code == 302
    assert (study.published, study.created_by) == (True, world.users["bso_staff"])
    assert study.pk in listed(client.get(INDEX, {"q": "corks"}).content.decode())


def test_staff_cannot_write_a_case_study_for_a_cluster_outside_the_scope(exchange, client):
    client.force_login(exchange.world.users["bso_staff"])

    response = client.post(
        reverse("case-study-new"),
        {
            "cluster": exchange.world.outside.pk,
            "title": "t",
            "summary": "s",
            "body": "b",
            "sector_family": "traditional",
        },
    )

    assert response.status_code == 400
    assert not CaseStudy.objects.filter(title="t").exists()


def test_logging_a_visit_from_its_page_twice_logs_it_once(exchange, client):
    client.force_login(exchange.world.users["admin"])
    url = reverse("exchange-visit-log", args=[exchange.visit.pk])

    client.post(url)
    client.post(url)

    exchange.visit.refresh_from_db()
    assert exchange.visit.host_activity_id and exchange.visit.visitor_activity_id
    assert exchange.visit.host_activity.cluster == exchange.world.outside
    from monitoring.models import Activity

    assert Activity.objects.filter(type="exchange_visit").count() == 2


def test_an_image_of_an_unpublished_case_study_is_not_served_to_visitors(
    exchange, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    staff = exchange.world.users["bso_staff"]
    image = services.case_study_image_add(
        case_study=exchange.draft, file=SimpleUploadedFile("a.png", PNG), alt_text="a", user=staff
    )
    url = reverse("case-study-image", args=[image.pk])

    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_the_public_index_makes_a_bounded_number_of_queries(
    exchange, client, django_assert_max_num_queries
):
    world = exchange.world
    for i in range(30):
        study = CaseStudy.objects.create(
            cluster=world.inside if i % 2 else world.outside,
            title=f"Story {i}",
            summary="s",
            body="b",
            sector_family="traditional",
            published=True,
        )
        study.topics.set([exchange.export, exchange.governance])

    with django_assert_max_num_queries(8):
        response = client.get(INDEX)

    assert len(listed(response.content.decode())) == 20  # a page


def test_the_staff_list_makes_a_bounded_number_of_queries(
    exchange, client, django_assert_max_num_queries
):
    for i in range(30):
        CaseStudy.objects.create(
            cluster=exchange.world.inside,
            title=f"Story {i}",
            summary="s",
            body="b",
            sector_family="traditional",
        )
    client.force_login(exchange.world.users["bso_staff"])

    with django_assert_max_num_queries(10):
        response = client.get(reverse("exchange-home"))

    assert response.content.decode().count("data-case-study=") == 32


def test_the_api_lists_make_a_bounded_number_of_queries(
    exchange, api_client, django_assert_max_num_queries
):
    world = exchange.world
    for i in range(30):
        study = CaseStudy.objects.create(
            cluster=world.inside, title=f"S{i}", summary="s", body="b", sector_family="traditional"
        )
        study.topics.set([exchange.export])
    api_client.force_authenticate(world.users["bso_staff"])

    with django_assert_max_num_queries(8):
        studies = api_client.get(reverse("api:casestudy-list"))
    with django_assert_max_num_queries(8):
        visits = api_client.get(reverse("api:exchangevisit-list"))

    assert studies.json()["count"] == 32  # 30 + the published and the draft of inside
    assert [row["id"] for row in visits.json()["results"]] == [exchange.visit.pk]
