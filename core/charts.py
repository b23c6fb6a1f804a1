"""Small charts drawn on the server as inline SVG: no script, no request, prints well.

Each chart takes plain (label, value) pairs; ``None`` is a gap (no data), never zero, and a
chart with no value at all is a short sentence saying so, not empty axes. The SVG carries a
title for screen readers; pages show the same numbers in a table beside it (the text
alternative), so a chart never holds a number the page lacks. Bars, and lines of amounts
(``from_zero``), start their axis at zero so that their heights compare.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = Decimal | int | float
Point = tuple[str, Number | None]

_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 44, 8, 8, 22
_LEGEND_HEIGHT = 16  # a two-line chart names its lines above the plot


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    width: int = 320,
    height: int = 120,
    target: Number | None = None,
    from_zero: bool = False,
) -> SafeString:
    """A line over the points, a dot on each value, an optional dashed target line; the axis
    spans the values (and the target), from zero with `from_zero` (amounts)."""
    values = [float(v) for _label, v in points if v is not None]
    if not values:
        return _empty(title)
    if target is not None:
        values.append(float(target))
    low, high = _bounds([0.0, *values] if from_zero else values)
    x = _x_positions(len(points), width)
    y = _y_scale(low, high, height)
    parts = [_axis(low, high, width, height, y)]
    if target is not None:
        ty = y(float(target))
        parts.append(
            f'<line class="chart-target" x1="{_PAD_LEFT}" x2="{width - _PAD_RIGHT}" '
            f'y1="{ty:.1f}" y2="{ty:.1f}" stroke-dasharray="4 3"/>'
        )
    segment: list[str] = []
    for i, (_label, value) in enumerate(points):
        if value is None:
            parts.append(_polyline(segment))
            segment = []
            continue
        px, py = x[i], y(float(value))
        segment.append(f"{px:.1f},{py:.1f}")
        parts.append(f'<circle class="chart-dot" cx="{px:.1f}" cy="{py:.1f}" r="2.5"/>')
    parts.append(_polyline(segment))
    parts.extend(_x_labels(points, x, height))
    return _svg(title, width, height, parts)


def two_line_chart(
    labels: Sequence[str],
    first: tuple[str, Sequence[Number | None]],
    second: tuple[str, Sequence[Number | None]],
    *,
    title: str,
    width: int = 320,
    height: int = 140,
    bounds: tuple[Number, Number] | None = None,
) -> SafeString:
    """Two lines over the same labels (an S-curve: money and results), each (name, values);
    the second is dashed and its dots are squares, so the two read apart without colour, and a
    legend names them. `bounds` fixes the axis (0 to 100 for percentages); otherwise it spans
    the values from zero."""
    values = [float(v) for _name, series in (first, second) for v in series if v is not None]
    if not values:
        return _empty(title)
    low, high = (float(bounds[0]), float(bounds[1])) if bounds else _bounds([0.0, *values])
    top = _PAD_TOP + _LEGEND_HEIGHT
    x = _x_positions(len(labels), width)
    inner = height - top - _PAD_BOTTOM

    def y(value: float) -> float:
        return top + inner * (1 - (value - low) / (high - low))

    parts = [_axis(low, high, width, height, y)]
    for index, (name, series) in enumerate((first, second)):
        line = "chart-line" if index == 0 else "chart-line chart-line-second"
        segment: list[str] = []
        for i, value in enumerate(series):
            if value is None:
                parts.append(_polyline(segment, css=line))
                segment = []
                continue
            px, py = x[i], y(float(value))
            segment.append(f"{px:.1f},{py:.1f}")
            if index == 0:
                parts.append(f'<circle class="chart-dot" cx="{px:.1f}" cy="{py:.1f}" r="2.5"/>')
            else:
                parts.append(
                    f'<rect class="chart-dot chart-dot-second" x="{px - 2.5:.1f}" '
                    f'y="{py - 2.5:.1f}" width="5" height="5"/>'
                )
        parts.append(_polyline(segment, css=line))
        legend_x = _PAD_LEFT + index * (width - _PAD_LEFT - _PAD_RIGHT) / 2
        dash = ' stroke-dasharray="5 3"' if index else ""
        parts.append(
            f'<line class="{line}" x1="{legend_x:.1f}" x2="{legend_x + 16:.1f}" '
            f'y1="{_PAD_TOP + 4}" y2="{_PAD_TOP + 4}"{dash}/>'
            f'<text class="chart-tick" x="{legend_x + 20:.1f}" y="{_PAD_TOP + 8}">'
            f"{escape(name)}</text>"
        )
    parts.extend(_x_labels([(label, None) for label in labels], x, height))
    return _svg(title, width, height, parts)


def bar_chart(
    bars: Sequence[Point], *, title: str, width: int = 320, height: int = 140
) -> SafeString:
    """One vertical bar per value, each labelled; a missing value leaves its slot empty."""
    values = [float(v) for _label, v in bars if v is not None]
    if not values:
        return _empty(title)
    low, high = _bounds([0.0, *values])
    y = _y_scale(low, high, height)
    x = _x_positions(len(bars), width)
    slot = (width - _PAD_LEFT - _PAD_RIGHT) / max(len(bars), 1)
    bar_width = max(slot * 0.6, 1.0)
    parts = [_axis(low, high, width, height, y)]
    for i, (_label, value) in enumerate(bars):
        if value is None:
            continue
        top, base = y(max(float(value), 0.0)), y(min(float(value), 0.0))
        parts.append(
            f'<rect class="chart-bar" x="{x[i] - bar_width / 2:.1f}" y="{top:.1f}" '
            f'width="{bar_width:.1f}" height="{max(base - top, 0.5):.1f}"/>'
        )
    parts.extend(
        f'<text class="chart-tick" x="{x[i]:.1f}" y="{height - 6}" text-anchor="middle">'
        f"{escape(label)}</text>"
        for i, (label, _value) in enumerate(bars)
    )
    return _svg(title, width, height, parts)


def _bounds(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if low == high:
        return (low - 1, high + 1) if low else (0.0, 1.0)
    return low, high


def _x_positions(count: int, width: int) -> list[float]:
    inner = width - _PAD_LEFT - _PAD_RIGHT
    if count <= 1:
        return [_PAD_LEFT + inner / 2] * count
    step = inner / count
    return [_PAD_LEFT + step * (i + 0.5) for i in range(count)]


def _y_scale(low: float, high: float, height: int):
    inner = height - _PAD_TOP - _PAD_BOTTOM

    def y(value: float) -> float:
        return _PAD_TOP + inner * (1 - (value - low) / (high - low))

    return y


def _axis(low, high, width, height, y) -> str:
    bottom = height - _PAD_BOTTOM
    return (
        f'<line class="chart-axis" x1="{_PAD_LEFT}" x2="{width - _PAD_RIGHT}" '
        f'y1="{bottom}" y2="{bottom}"/>'
        f'<text class="chart-tick" x="{_PAD_LEFT - 4}" y="{y(high) + 4:.1f}" '
        f'text-anchor="end">{escape(_short(high))}</text>'
        f'<text class="chart-tick" x="{_PAD_LEFT - 4}" y="{y(low) + 4:.1f}" '
        f'text-anchor="end">{escape(_short(low))}</text>'
    )


def _x_labels(points, x, height) -> list[str]:
    """The first and last labels only: enough to read the span, never overlapping; each
    aligned on its own side so that neither runs off the chart."""
    if not points:
        return []
    first = (
        f'<text class="chart-tick" x="{_PAD_LEFT}" y="{height - 6}">{escape(points[0][0])}</text>'
    )
    if len(points) == 1:
        return [first]
    last_x = x[-1] + (x[-1] - x[-2]) / 2
    last = (
        f'<text class="chart-tick" x="{last_x:.1f}" y="{height - 6}" text-anchor="end">'
        f"{escape(points[-1][0])}</text>"
    )
    return [first, last]


def _polyline(segment: list[str], css: str = "chart-line") -> str:
    if len(segment) < 2:
        return ""
    dash = ' stroke-dasharray="5 3"' if "chart-line-second" in css else ""
    return f'<polyline class="{css}" fill="none"{dash} points="{" ".join(segment)}"/>'


def _short(value: float) -> str:
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _empty(title: str) -> SafeString:
    return format_html(
        '<p class="chart-empty" role="img" aria-label="{}">{}</p>',
        title,
        _("No values to draw yet."),
    )


def _svg(title: str, width: int, height: int, parts: list[str]) -> SafeString:
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}"><title>{}</title>',
        width,
        height,
        width,
        height,
        title,
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # parts escape their own text
