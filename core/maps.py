"""Maps of countries with markers, drawn as inline SVG on the server: no tile server, no script,
no request outside the site.

Country shapes are Natural Earth's Admin 0 boundaries at 1:50m as the npm package world-atlas
2.0.2 ships them (TopoJSON, ISC licence; the data itself is public domain), vendored in
`core/geodata/world-atlas/`; countries are found by their ISO 3166-1 alpha-2 code through the
alpha-2 to numeric table of the npm package i18n-iso-countries 7.14.0 (MIT), vendored in
`core/geodata/i18n-iso-countries/`. A country's rings are decoded and simplified once per
process (`country_shape`, cached per country); a map projects only the countries it shows
(equirectangular, scaled by the cosine of the middle latitude: distortion is small at the size
of a country or a region) and fits them to its width.

The module knows no domain: it takes country codes and markers (a position, a label, a colour,
a link) and returns SVG. Markers are links (keyboard-focusable, named by their label and with a
<title> as a tooltip); the SVG carries a title and a description; pages show the same markers
in a table beside it (the text alternative).
"""

import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

GEODATA = Path(__file__).resolve().parent / "geodata"
TOPOLOGY_FILE = GEODATA / "world-atlas" / "countries-50m.json"
CODES_FILE = GEODATA / "i18n-iso-countries" / "codes.json"

# Rings are thinned to points at least this far apart (degrees) when decoded: about 5 km, well
# under a pixel on a country-sized map of 640 pixels, and a tenth of the points of the source.
SIMPLIFY_DEGREES = 0.05
# A polygon smaller than this share of its country's largest one does not widen the map (the
# Aleutians do not stretch a map of the United States across the antimeridian).
FIT_MIN_SHARE = 0.1
MARKER_RADIUS = 9  # about 5 px on a phone, where the 640-unit map is drawn 360 px wide
PADDING = 16

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, closed


@dataclass(frozen=True)
class Marker:
    """A point on the map: `label` names it (tooltip and accessible name), `colour` fills it,
    `href` is where it leads; `key` is written as data-key so that tests and scripts find it."""

    key: str
    longitude: float
    latitude: float
    label: str
    colour: str
    href: str = ""
    status: str = ""


# --- Shapes -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _topology() -> dict:
    with TOPOLOGY_FILE.open(encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def _numeric_codes() -> dict[str, str]:
    with CODES_FILE.open(encoding="utf-8") as f:
        return {row[0]: row[2] for row in json.load(f)}


@lru_cache(maxsize=1)
def _geometries() -> dict[str, dict]:
    """The topology's country geometries by ISO numeric code (a few, e.g. Kosovo, have none)."""
    geometries = _topology()["objects"]["countries"]["geometries"]
    return {g["id"]: g for g in geometries if "id" in g}


def _arc(index: int) -> list[tuple[float, float]]:
    """One arc in degrees, decoded from the quantised delta encoding (reversed for ~index)."""
    topology = _topology()
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    raw = topology["arcs"][index if index >= 0 else ~index]
    x = y = 0
    points = []
    for dx, dy in raw:
        x += dx
        y += dy
        points.append((x * sx + tx, y * sy + ty))
    return points if index >= 0 else points[::-1]


def _ring(arcs: Sequence[int]) -> Ring:
    points: list[tuple[float, float]] = []
    for index in arcs:
        arc = _arc(index)
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    # A ring across the antimeridian (Fiji, Chukotka) continues east of 180 rather than
    # jumping to -180: the projection is plane and draws it whole.
    if max(p[0] for p in points) - min(p[0] for p in points) > 180:
        points = [(x + 360 if x < 0 else x, y) for x, y in points]
    return tuple(_thin(points, SIMPLIFY_DEGREES))


def _thin(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Drop points closer than `tolerance` to the last point kept (the ring stays closed)."""
    if len(points) < 8:
        return points
    kept = [points[0]]
    for x, y in points[1:-1]:
        kx, ky = kept[-1]
        if abs(x - kx) >= tolerance or abs(y - ky) >= tolerance:
            kept.append((x, y))
    kept.append(points[-1])
    return kept if len(kept) >= 4 else points


@cache
def country_shape(code: str) -> tuple[tuple[Ring, ...], ...]:
    """The country's polygons (each an outer ring then its holes), in degrees, simplified;
    empty when the vendored data has no shape for the code."""
    numeric = _numeric_codes().get(code.upper())
    geometry = _geometries().get(numeric) if numeric else None
    if geometry is None:
        return ()
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return tuple(tuple(_ring(ring) for ring in polygon) for polygon in polygons)


def _area(ring: Ring) -> float:
    """Signed area (shoelace) in square degrees."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _inside(ring: Ring, x: float, y: float) -> bool:
    """Even-odd rule: the point is inside the ring."""
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def contains(code: str, longitude: float, latitude: float) -> bool:
    """The point lies in the country (in one of its polygons and none of that one's holes)."""
    return any(
        _inside(polygon[0], longitude, latitude)
        and not any(_inside(hole, longitude, latitude) for hole in polygon[1:])
        for polygon in country_shape(code)
    )


@cache
def country_point(code: str) -> tuple[float, float] | None:
    """A point inside the country, where its markers without coordinates go: the centroid of
    its largest polygon when that lies inside it, else the middle of the widest stretch of land
    on the centroid's parallel (a crescent's centroid can fall outside it). None: no shape."""
    polygons = country_shape(code)
    if not polygons:
        return None
    outer = max((polygon[0] for polygon in polygons), key=lambda r: abs(_area(r)))
    area = _area(outer)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in itertools.pairwise(outer))
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in itertools.pairwise(outer))
    cx, cy = cx / (6 * area), cy / (6 * area)
    if contains(code, cx, cy):
        return cx, cy
    crossings = sorted(
        x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in itertools.pairwise(outer)
        if (y0 > cy) != (y1 > cy)
    )
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not stretches:
        return outer[0]
    left, right = max(stretches, key=lambda s: s[1] - s[0])
    return (left + right) / 2, cy


def _fit_points(code: str) -> Iterable[tuple[float, float]]:
    polygons = country_shape(code)
    if not polygons:
        return []
    largest = max(abs(_area(polygon[0])) for polygon in polygons)
    return (
        point
        for polygon in polygons
        if abs(_area(polygon[0])) >= FIT_MIN_SHARE * largest
        for point in polygon[0]
    )


# --- Projection and drawing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular with the middle latitude's cosine, fitted to a box of `width` pixels."""

    west: float
    north: float
    scale: float  # pixels per degree of latitude
    cos: float
    width: int
    height: int

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = PADDING + (longitude - self.west) * self.cos * self.scale
        y = PADDING + (self.north - latitude) * self.scale
        return x, y

    @classmethod
    def fit(cls, points: Iterable[tuple[float, float]], *, width: int) -> "Projection":
        points = list(points) or [(0.0, 0.0)]
        west, east = min(p[0] for p in points), max(p[0] for p in points)
        south, north = min(p[1] for p in points), max(p[1] for p in points)
        # A lone point (or a tiny country) gets a neighbourhood of a degree around it.
        if east - west < 2:
            west, east = (west + east) / 2 - 1, (west + east) / 2 + 1
        if north - south < 2:
            south, north = (south + north) / 2 - 1, (south + north) / 2 + 1
        cos = max(math.cos(math.radians((north + south) / 2)), 0.2)
        inner = width - 2 * PADDING
        scale = inner / ((east - west) * cos)
        # A tall country (Chile) is not drawn taller than wide: narrow the scale instead.
        if (north - south) * scale > inner * 1.2:
            scale = inner * 1.2 / (north - south)
        height = math.ceil((north - south) * scale) + 2 * PADDING
        return cls(west, north, scale, cos, width, height)


def _path(rings: Iterable[Ring], project: Projection) -> str:
    parts = []
    for ring in rings:
        points, last = [], None
        for lon, lat in ring:
            x, y = project(lon, lat)
            if last is None or abs(x - last[0]) >= 0.5 or abs(y - last[1]) >= 0.5:
                points.append(f"{x:.1f} {y:.1f}")
                last = (x, y)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def _spread(markers: Sequence[Marker], project: Projection) -> list[tuple[Marker, float, float]]:
    """Pixel positions; markers at one spot (a country's point) fan out on a small circle."""
    at: dict[tuple[float, float], list[Marker]] = defaultdict(list)
    for marker in markers:
        x, y = project(marker.longitude, marker.latitude)
        at[(round(x), round(y))].append(marker)
    placed = []
    for (x, y), group in at.items():
        if len(group) == 1:
            placed.append((group[0], float(x), float(y)))
            continue
        radius = MARKER_RADIUS * max(1.5, len(group) / math.pi)
        for i, marker in enumerate(group):
            angle = 2 * math.pi * i / len(group)
            placed.append((marker, x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return placed


def country_map(
    *,
    countries: Sequence[str],
    markers: Sequence[Marker],
    title: str,
    description: str,
    width: int = 640,
    dom_id: str = "map",
) -> SafeString:
    """An SVG map of the countries (ISO alpha-2 codes) with the markers on top, fitted to the
    countries drawn and the markers (a marker abroad widens the map rather than fall off it)."""
    codes = sorted({c.upper() for c in countries if country_shape(c)})
    fit = [p for code in codes for p in _fit_points(code)]
    fit += [(m.longitude, m.latitude) for m in markers]
    project = Projection.fit(fit, width=width)
    title_id, desc_id = f"{dom_id}-title", f"{dom_id}-desc"
    parts = [
        format_html(
            '<svg class="map" id="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
            'role="group" aria-labelledby="{}" aria-describedby="{}">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            dom_id,
            project.width,
            project.height,
            title_id,
            desc_id,
            title_id,
            title,
            desc_id,
            description,
        )
    ]
    for code in codes:
        parts.append(
            format_html(
                '<path class="map-country" data-country="{}" d="{}"/>',
                code,
                _path((ring for polygon in country_shape(code) for ring in polygon), project),
            )
        )
    for marker, x, y in _spread(markers, project):
        label = escape(marker.label)
        shape = (
            f'<circle class="map-marker" cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}" '
            f'fill="{escape(marker.colour)}" stroke="#1f2933" stroke-width="1.5" '
            f'data-key="{escape(marker.key)}" '
            f'data-status="{escape(marker.status)}" data-lon="{marker.longitude:.4f}" '
            f'data-lat="{marker.latitude:.4f}"><title>{label}</title></circle>'
        )
        if marker.href:
            parts.append(
                f'<a class="map-link" href="{escape(marker.href)}" aria-label="{label}">{shape}</a>'
            )
        else:
            parts.append(
                f'<g class="map-link" tabindex="0" role="img" aria-label="{label}">{shape}</g>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece above is escaped
