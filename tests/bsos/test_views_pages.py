"""Public pages of the bsos app: the directory of clusters and BSOs, and a BSO's profile."""

import datetime

import pytest
from django.urls import reverse

from bsos.models import BSO, ClusterSupport
from clusters.models import ClusterType, LifecycleStage, SectorFamily
from tests.downloads import csv_rows, xlsx_rows
from tests.factories import (
    ActionItemFactory,
    BSOFactory,
    ClusterFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    CountryFactory,
    RegionFactory,
    SteeringCommitteeFactory,
)

DIRECTORY = reverse("directory")


def _cluster_rows(response) -> set[str]:
    """Names of the clusters listed in the directory table."""
    return {cluster.name for cluster in response.context["page_obj"]}


def _bso_rows(response) -> set[str]:
    return {bso.name for bso in response.context["page_obj"]}


# --- Directory: clusters --------------------------------------------------------------------


def test_directory_opens_for_anonymous_visitors_and_lists_every_cluster(world, client):
    response = client.get(DIRECTORY)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Regional collaboration directory" in html
    assert _cluster_rows(response) == {"Mendoza wine", "Atuntaqui garments"}
    assert reverse("cluster-detail", args=[world.inside.pk]) in html
    assert "Bodegas de Argentina" in html  # the lead BSO, in the "Supported by" column


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=EC", {"Atuntaqui garments"}),
        ("country=ar", {"Mendoza wine"}),
        ("region=southern-cone", {"Mendoza wine"}),
        ("region=latam", {"Mendoza wine", "Atuntaqui garments"}),
        (f"sector_family={SectorFamily.TRADITIONAL}", {"Atuntaqui garments"}),
        (f"cluster_type={ClusterType.SATELLITE}", {"Atuntaqui garments"}),
        (f"lifecycle_stage={LifecycleStage.EMERGING}", {"Atuntaqui garments"}),
        ("q=garm", {"Atuntaqui garments"}),
        ("q=ecuador", {"Atuntaqui garments"}),
        ("q=nothing-like-this", set()),
    ],
)
def test_directory_filters_and_search_narrow_the_clusters(world, client, query, expected):
    world.outside.sector = "garments"
    world.outside.sector_family = SectorFamily.TRADITIONAL
    world.outside.cluster_type = ClusterType.SATELLITE
    world.outside.lifecycle_stage = LifecycleStage.EMERGING
    world.outside.save()

    response = client.get(f"{DIRECTORY}?{query}")

    assert response.status_code == 200
    assert _cluster_rows(response) == expected


def test_directory_filters_clusters_by_the_bso_supporting_them_today(world, client):
    ClusterSupportFactory(
        bso=world.other_bso,
        cluster=world.inside,
        since=datetime.date(2015, 1, 1),
        until=datetime.date(2016, 1, 1),
    )

    response = client.get(f"{DIRECTORY}?bso={world.other_bso.pk}")

    assert _cluster_rows(response) == {"Atuntaqui garments"}


def test_directory_combines_filters_and_keeps_them_in_the_form(world, client):
    response = client.get(f"{DIRECTORY}?country=AR&q=wine")

    html = response.content.decode()
    assert _cluster_rows(response) == {"Mendoza wine"}
    assert '<option value="AR" selected>Argentina</option>' in html
    assert 'value="wine"' in html


BEYOND_64_BITS = str(2**64)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=ZZ", "country"),
        ("sector_family=not-a-family", "sector_family"),
        ("region=atlantis", "region"),
        (f"bso={BEYOND_64_BITS}", "bso"),
        ("bso=-1", "bso"),
        ("status=bogus", "status"),
        ("show=bsos&kind=bogus", "kind"),
        (f"show=bsos&cluster={BEYOND_64_BITS}", "cluster"),
    ],
)
def test_directory_shows_the_error_of_a_filter_value_it_does_not_know(world, client, query, field):
    response = client.get(f"{DIRECTORY}?{query}")

    html = response.content.decode()
    assert response.status_code == 400
    assert list(response.context["page_obj"]) == []  # no list that quietly left the filter out
    assert "These filters could not be applied" in html
    assert f'aria-describedby="id_{field}_error"' in html
    assert "is not one of the available choices" in html


def test_directory_download_with_a_refused_filter_shows_the_page_and_its_error(world, client):
    response = client.get(f"{DIRECTORY}?country=ZZ&format=csv")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "ZZ is not one of the available choices" in response.content.decode()


def test_directory_error_reads_in_spanish(world, client):
    response = client.get(f"{DIRECTORY}?country=ZZ", HTTP_ACCEPT_LANGUAGE="es")

    html = response.content.decode()
    assert "No se pudieron aplicar estos filtros" in html
    assert "ZZ no es una de las opciones disponibles" in html


def test_directory_shows_a_filter_it_does_not_offer_when_the_query_sets_it(world, client):
    world.outside.status = "inactive"
    world.outside.save()

    plain = client.get(DIRECTORY).content.decode()
    response = client.get(f"{DIRECTORY}?status=inactive")

    assert 'name="status"' not in plain
    assert _cluster_rows(response) == {"Atuntaqui garments"}
    assert '<option value="inactive" selected>Inactive</option>' in response.content.decode()


def test_directory_selects_a_country_given_in_lower_case(world, client):
    html = client.get(f"{DIRECTORY}?country=ec").content.decode()

    assert '<option value="EC" selected>Ecuador</option>' in html


def test_directory_clear_link_keeps_the_tab(world, client):
    html = client.get(f"{DIRECTORY}?show=bsos&country=EC").content.decode()

    assert '<input type="hidden" name="show" value="bsos">' in html
    assert '<a href="/directory/?show=bsos">Clear</a>' in html
    assert "Clear" not in client.get(f"{DIRECTORY}?show=bsos").content.decode()


def test_directory_pages_through_many_clusters_keeping_the_filters(world, client):
    ClusterFactory.create_batch(30, country=world.argentina)

    first = client.get(f"{DIRECTORY}?country=AR")
    second = client.get(f"{DIRECTORY}?country=AR&page=2")

    assert len(first.context["page_obj"]) == 25
    assert "?country=AR&amp;page=2" in first.content.decode()
    assert len(second.context["page_obj"]) == 6  # 31 Argentine clusters: 25 + 6
    assert not _cluster_rows(first) & _cluster_rows(second)


# --- Directory: BSOs ------------------------------------------------------------------------


def test_directory_bso_tab_lists_bsos_with_the_number_of_clusters_they_support(world, client):
    ClusterSupportFactory(bso=world.bso, cluster=world.outside)  # a second, partner cluster

    response = client.get(f"{DIRECTORY}?show=bsos")

    html = response.content.decode()
    assert response.status_code == 200
    assert _bso_rows(response) == {"Bodegas de Argentina", "Cámara de Atuntaqui"}
    assert reverse("bso-detail", args=[world.bso.pk]) in html
    counts = {bso.name: bso.clusters_supported for bso in response.context["page_obj"]}
    assert counts == {"Bodegas de Argentina": 2, "Cámara de Atuntaqui": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=EC", {"Cámara de Atuntaqui"}),
        (f"kind={BSO.Kind.CHAMBER}", {"Cámara de Atuntaqui"}),
        ("q=bodegas", {"Bodegas de Argentina"}),
        ("q=quito", {"Cámara de Atuntaqui"}),
    ],
)
def test_directory_bso_filters_and_search_narrow_the_bsos(world, client, query, expected):
    world.other_bso.kind = BSO.Kind.CHAMBER
    world.other_bso.city = "Quito"
    world.other_bso.save()

    response = client.get(f"{DIRECTORY}?show=bsos&{query}")

    assert _bso_rows(response) == expected


# --- BSO profile ----------------------------------------------------------------------------


def test_bso_page_shows_the_public_profile_and_contacts(world, client):
    bso = BSOFactory(
        name="Fundación Pro Mendoza",
        kind=BSO.Kind.NGO,
        country=world.argentina,
        city="Mendoza",
        website="https://promendoza.example.org",
        email="info@promendoza.example.org",
        phone="+54 261 555 0101",
        contact_person="Ana Pérez",
        description="Export promotion for Mendoza firms.",
    )

    response = client.get(reverse("bso-detail", args=[bso.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Fundación Pro Mendoza",
        "NGO",
        "Argentina",
        "https://promendoza.example.org",
        "mailto:info@promendoza.example.org",
        "+54 261 555 0101",
        "Ana Pérez",
        "Export promotion for Mendoza firms.",
    ):
        assert text in html, text


def test_bso_page_lists_the_clusters_it_supports_today_only(world, client):
    ClusterSupportFactory(
        bso=world.bso,
        cluster=world.outside,
        since=datetime.date(2015, 1, 1),
        until=datetime.date(2016, 1, 1),
    )

    html = client.get(reverse("bso-detail", args=[world.bso.pk])).content.decode()

    assert "Mendoza wine" in html
    assert reverse("cluster-detail", args=[world.inside.pk]) in html
    assert "Lead BSO" in html
    assert "Atuntaqui garments" not in html


def test_unknown_bso_answers_404(world, client):
    response = client.get(reverse("bso-detail", args=[999_999]))

    assert response.status_code == 404


# --- Bounded queries ------------------------------------------------------------------------


@pytest.fixture
def crowded(world):
    """30 countries, each with a region, a BSO leading a cluster there, and a committee.

    The first two BSOs are also partners of every other cluster (30 clusters each).
    """
    bsos, clusters = [], []
    for _ in range(30):
        country = CountryFactory()
        RegionFactory(countries=[country])
        bso = BSOFactory(country=country)
        cluster = ClusterFactory(country=country)
        ClusterSupportFactory(bso=bso, cluster=cluster, role=ClusterSupport.Role.LEAD)
        committee = SteeringCommitteeFactory(cluster=cluster)
        ActionItemFactory(committee=committee, owner=CommitteeMemberFactory(committee=committee))
        bsos.append(bso)
        clusters.append(cluster)
    for bso in bsos[:2]:
        for cluster in clusters:
            if cluster.country_id != bso.country_id:
                ClusterSupportFactory(bso=bso, cluster=cluster)
    return bsos


def test_directory_clusters_tab_runs_a_bounded_number_of_queries(
    world, crowded, client, django_assert_max_num_queries
):
    client.force_login(world.users["regional"])

    # 10 for the page, and the map's (dashboards.maps): its clusters, which of them are in
    # the scope, the periods to colour by
    with django_assert_max_num_queries(13):
        response = client.get(DIRECTORY)

    assert len(response.context["page_obj"]) == 25


def test_directory_bsos_tab_runs_a_bounded_number_of_queries(
    world, crowded, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(f"{DIRECTORY}?show=bsos")

    assert len(response.context["page_obj"]) == 25


def test_bso_page_runs_a_bounded_number_of_queries(
    world, crowded, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("bso-detail", args=[crowded[0].pk]))

    assert response.content.decode().count('<a href="/clusters/') == 30


# --- Directory downloads --------------------------------------------------------------------


def test_directory_clusters_download_holds_the_rows_of_the_page_under_its_filters(world, client):
    page = client.get(f"{DIRECTORY}?country=AR")

    header, *rows = csv_rows(client.get(f"{DIRECTORY}?country=AR&format=csv"))

    assert header[:3] == ["Cluster", "Locality", "Country"] and header[-1] == "Supported by"
    assert [row[0] for row in rows] == [c.name for c in page.context["page_obj"]]
    assert rows[0][0] == "Mendoza wine" and rows[0][2] == "Argentina"
    assert rows[0][-1] == "Bodegas de Argentina (lead)"
    assert "Atuntaqui garments" not in {row[0] for row in rows}  # filtered out on the page too


def test_directory_bsos_download_follows_the_tab_and_keeps_counts_numeric(world, client):
    page = client.get(f"{DIRECTORY}?show=bsos&country=EC")

    header, *rows = xlsx_rows(client.get(f"{DIRECTORY}?show=bsos&country=EC&format=xlsx"))

    assert header == ("BSO", "Kind", "Country", "City", "Clusters supported")
    assert [row[0] for row in rows] == [b.name for b in page.context["page_obj"]]
    assert rows == [("Cámara de Atuntaqui", rows[0][1], "Ecuador", rows[0][3], 1)]
    assert isinstance(rows[0][4], int)


def test_directory_download_holds_every_row_not_only_the_first_page(world, crowded, client):
    _header, *rows = csv_rows(client.get(f"{DIRECTORY}?format=csv&page=2"))

    assert len(rows) == 32  # 30 + Mendoza and Atuntaqui: more than a page of 25
    assert len({row[0] for row in rows}) == 32


def test_directory_download_neutralises_a_name_a_spreadsheet_would_run(world, client):
    world.inside.name = "=cmd|' /C calc'!A0"
    world.inside.save()

    csv_lines = csv_rows(client.get(f"{DIRECTORY}?country=AR&format=csv"))
    xlsx_lines = xlsx_rows(client.get(f"{DIRECTORY}?country=AR&format=xlsx"))

    assert csv_lines[1][0] == "'=cmd|' /C calc'!A0"
    assert xlsx_lines[1][0] == "'=cmd|' /C calc'!A0"


def test_directory_page_offers_the_downloads_with_its_filters(world, client):
    html = client.get(f"{DIRECTORY}?show=bsos&country=EC&page=1").content.decode()

    assert "?show=bsos&amp;country=EC&amp;format=csv" in html
    assert "?show=bsos&amp;country=EC&amp;format=xlsx" in html


@pytest.mark.parametrize("show", ["", "bsos"])
def test_directory_downloads_run_the_same_queries_for_few_or_many_rows(
    world, client, django_assert_max_num_queries, show
):
    with django_assert_max_num_queries(3):
        few = client.get(f"{DIRECTORY}?show={show}&format=xlsx")
    for _ in range(40):
        cluster = ClusterFactory()
        ClusterSupportFactory(bso=BSOFactory(country=cluster.country), cluster=cluster)
        ClusterSupportFactory(bso=world.bso, cluster=cluster)

    with django_assert_max_num_queries(3):
        many = client.get(f"{DIRECTORY}?show={show}&format=xlsx")

    assert len(xlsx_rows(many)) == len(xlsx_rows(few)) + 40
