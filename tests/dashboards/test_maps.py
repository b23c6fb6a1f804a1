"""The cluster map on the national and regional dashboards and on the public directory: a
marker per cluster shown, coloured by the chosen KPI's status or value in scope only, a cluster
without coordinates placed in its country, and nothing fetched from outside the site."""

import re
from decimal import Decimal

from django.urls import reverse

from core import maps
from core.staleness import mark_stale
from dashboards import maps as dashboards_maps
from dashboards.maps import NOT_SHOWN, STATUS_COLOURS, VALUE_COLOURS
from monitoring.rollups.staleness import process_stale
from scorecards.models import Level, Target
from tests.dashboards.conftest import kpi

MARKER = re.compile(r'<circle class="map-marker"[^>]*>')


def markers(html: str) -> dict[int, dict[str, str]]:
    """The map's markers by cluster id, each with its attributes."""
    found = {}
    for tag in MARKER.findall(html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        found[int(attrs["data-key"])] = attrs
    return found


def place(cluster, lon, lat):
    cluster.longitude, cluster.latitude = Decimal(lon), Decimal(lat)
    cluster.save(update_fields=["longitude", "latitude"])


def lean_targets(dash):
    """thai-lean Q1 cluster targets: inside 5 of 10 -> 0.5, red; third 7 of 7 -> 1, green."""
    q1, lean = dash.p["q1"], kpi("thai-lean")
    for cluster, value in ((dash.inside, 10), (dash.third, 7)):
        Target.objects.create(
            kpi=lean, period=q1, level=Level.CLUSTER, cluster=cluster, value=value
        )
    mark_stale(kpi_ids=[lean.pk], period_ids=[q1.pk], reason="targets set")
    process_stale()


def test_the_national_map_has_a_marker_per_cluster_coloured_by_status(dash, client):
    lean_targets(dash)
    place(dash.inside, "-68.83", "-32.89")  # Mendoza
    client.force_login(dash.users["ministry"])

    response = client.get(
        reverse("dashboard-country", args=[dash.argentina.pk]),
        {"period": dash.p["q1"].pk, "map_kpi": kpi("thai-lean").pk},
    )

    found = markers(response.content.decode())
    # Argentina's two clusters; Ecuador's is not on Argentina's map
    assert set(found) == {dash.inside.pk, dash.third.pk}
    assert found[dash.inside.pk]["fill"] == STATUS_COLOURS["red"]
    assert found[dash.third.pk]["fill"] == STATUS_COLOURS["green"]
    assert (found[dash.inside.pk]["data-lon"], found[dash.inside.pk]["data-lat"]) == (
        "-68.8300",
        "-32.8900",
    )


def test_a_cluster_without_coordinates_is_placed_inside_its_country(dash, client):
    client.force_login(dash.users["ministry"])

    response = client.get(reverse("dashboard-country", args=[dash.argentina.pk]))

    third = markers(response.content.decode())[dash.third.pk]
    assert maps.contains("AR", float(third["data-lon"]), float(third["data-lat"]))
    row = re.search(
        rf'<tr data-map-cluster="{dash.third.pk}">.*?</tr>', response.content.decode(), re.S
    )
    assert "in its country (no coordinates)" in row.group(0)


def test_colour_by_value_runs_from_the_lowest_to_the_highest_value(dash, client):
    client.force_login(dash.users["admin"])  # Latin America: 5 (inside), 7 (third), 9 (outside)
    latam = dash.latam

    response = client.get(
        reverse("dashboard-region", args=[latam.pk]),
        {"period": dash.p["q1"].pk, "map_kpi": kpi("thai-lean").pk, "map_by": "value"},
    )

    found = markers(response.content.decode())
    # five equal steps over 5..9 (0.8 wide): 5 -> step 0, 7 -> (7-5)/4 x 5 = 2.5 -> step 2,
    # 9 -> the top step
    assert found[dash.inside.pk]["fill"] == VALUE_COLOURS[0]
    assert found[dash.third.pk]["fill"] == VALUE_COLOURS[2]
    assert found[dash.outside.pk]["fill"] == VALUE_COLOURS[4]


def test_the_directory_map_colours_only_the_clusters_in_scope(dash, client):
    lean_targets(dash)
    client.force_login(dash.users["bso_staff"])  # supports inside only

    response = client.get(
        reverse("directory"), {"map_kpi": kpi("thai-lean").pk, "map_period": dash.p["q1"].pk}
    )

    found = markers(response.content.decode())
    assert set(found) == {dash.inside.pk, dash.third.pk, dash.outside.pk}
    assert found[dash.inside.pk]["fill"] == STATUS_COLOURS["red"]
    assert found[dash.third.pk]["fill"] == NOT_SHOWN
    assert found[dash.outside.pk]["fill"] == NOT_SHOWN


def test_an_anonymous_visitor_sees_where_clusters_are_and_no_results(dash, client):
    lean_targets(dash)

    html = client.get(reverse("directory"), {"map_kpi": kpi("thai-lean").pk}).content.decode()

    found = markers(html)
    assert len(found) == 3
    assert {m["fill"] for m in found.values()} == {NOT_SHOWN}
    assert 'name="map_kpi"' not in html
    assert "On track" not in html and "Off track" not in html


def test_the_map_pages_request_nothing_outside_the_site(dash, client):
    client.force_login(dash.users["admin"])
    pages = [
        (reverse("directory"), {}),
        (reverse("dashboard-country", args=[dash.argentina.pk]), {}),
        (reverse("dashboard-region", args=[dash.latam.pk]), {"map_by": "value"}),
    ]
    for url, params in pages:
        html = client.get(url, params).content.decode()
        assert 'class="map"' in html, url
        references = re.findall(r'(?:src|href|action)="([^"]*)"', html)
        outside = [r for r in references if r.startswith(("http:", "https:", "//"))]
        assert outside == [], (url, outside)


def test_the_directory_map_keeps_the_directory_filters(dash, client):
    client.force_login(dash.users["admin"])

    html = client.get(reverse("directory"), {"country": "AR"}).content.decode()

    assert set(markers(html)) == {dash.inside.pk, dash.third.pk}
    assert '<input type="hidden" name="country" value="AR">' in html


def test_the_directory_with_its_map_makes_a_bounded_number_of_queries(
    dash, client, django_assert_max_num_queries
):
    from tests.dashboards.test_queries import add_clusters

    add_clusters(dash, 100)
    client.force_login(dash.users["admin"])

    with django_assert_max_num_queries(20):
        response = client.get(reverse("directory"), {"map_kpi": kpi("thai-lean").pk})

    assert len(markers(response.content.decode())) == 103


def test_the_directory_asks_for_narrower_filters_above_its_map_limit(dash, client, monkeypatch):
    monkeypatch.setattr(dashboards_maps, "MAP_MAX", 2)  # the world has 3 clusters

    html = client.get(reverse("directory")).content.decode()
    narrowed = client.get(reverse("directory"), {"country": "AR"}).content.decode()

    assert markers(html) == {}
    assert "The map shows at most 2 clusters" in html
    assert set(markers(narrowed)) == {dash.inside.pk, dash.third.pk}


def test_a_dashboard_above_the_map_limit_says_where_the_values_are(dash, client, monkeypatch):
    monkeypatch.setattr(dashboards_maps, "MAP_MAX", 1)  # Argentina has 2 clusters
    client.force_login(dash.users["ministry"])

    html = client.get(
        reverse("dashboard-country", args=[dash.argentina.pk]), {"period": dash.p["q1"].pk}
    ).content.decode()

    assert markers(html) == {}
    assert "The map shows at most 1 clusters, and this page covers 2" in html
    assert 'class="ranking"' in html  # the ranking, with its download, is still there
