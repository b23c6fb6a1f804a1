"""core.maps: vendored country shapes found by ISO code, a point inside each country, and the
SVG: one focusable, labelled marker per point, no reference outside the document."""

import re

from core import maps


def test_a_country_is_found_by_its_alpha2_code_and_its_point_lies_inside_it():
    for code in ("AR", "CL", "CO", "KE", "BR", "FJ"):
        assert maps.country_shape(code), code
        lon, lat = maps.country_point(code)
        assert maps.contains(code, lon, lat), code
    # Buenos Aires is in Argentina, not in Chile
    assert maps.contains("AR", -58.4, -34.6)
    assert not maps.contains("CL", -58.4, -34.6)


def test_a_code_without_a_shape_has_no_point():
    assert maps.country_shape("ZZ") == ()
    assert maps.country_point("ZZ") is None


def test_the_projection_keeps_north_up_and_west_left():
    project = maps.Projection.fit([(-70, -20), (-60, -40)], width=400)

    west_x, north_y = project(-70, -20)
    east_x, south_y = project(-60, -40)

    assert west_x < east_x
    assert north_y < south_y
    assert (west_x, north_y) == (maps.PADDING, maps.PADDING)


def test_the_map_holds_one_labelled_focusable_marker_per_point_and_no_outside_reference():
    markers = [
        maps.Marker("1", -68.8, -32.9, "Mendoza <wine>", "#2e7d32", href="/clusters/1/"),
        maps.Marker("2", -64.2, -31.4, "Córdoba dairy", "#c62828"),
    ]

    svg = str(
        maps.country_map(countries=["AR"], markers=markers, title="Clusters", description="Two")
    )

    assert svg.count('class="map-marker"') == 2
    assert '<a class="map-link" href="/clusters/1/" aria-label="Mendoza &lt;wine&gt;">' in svg
    assert 'tabindex="0" role="img" aria-label="Córdoba dairy"' in svg
    assert re.search(r'data-key="1"[^>]*>', svg) and 'fill="#2e7d32"' in svg
    assert '<title id="map-title">Clusters</title><desc id="map-desc">Two</desc>' in svg
    assert 'data-country="AR"' in svg
    # the only absolute URL is the SVG namespace (a name, never fetched)
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]


def test_markers_at_one_spot_fan_out_instead_of_hiding_each_other():
    point = maps.country_point("AR")
    markers = [maps.Marker(str(i), *point, f"c{i}", "#fff") for i in range(3)]

    svg = str(maps.country_map(countries=["AR"], markers=markers, title="t", description="d"))

    positions = set(re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg))
    assert len(positions) == 3
