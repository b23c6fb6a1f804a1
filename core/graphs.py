"""A network drawn on the server as inline SVG (nodes and undirected ties): no script, no
request, prints well. Knows no domain: nodes are (key, label, css class) and ties pairs of
keys. The page shows the same nodes and ties as a table beside it (the text alternative).

The layout is deterministic, so that one network always draws the same: nodes start on a
circle in the order given and a fixed number of force-directed steps (Fruchterman and
Reingold: ties pull, every pair pushes, the step shrinks each round) spread them; large
networks stay on the circle, where the steps would cost more than the drawing is worth.
"""

import math
from collections.abc import Hashable, Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

DrawnNode = tuple[Hashable, str, str]  # (key, label, css class)

STEPS = 80
LABEL_ROOM = 130  # room on the right for the labels of the nodes nearest that edge
LARGEST_SPREAD = 150  # nodes; above it the circle is kept


def layout(keys: Sequence[Hashable], ties: Sequence[tuple[Hashable, Hashable]]) -> dict:
    """Positions in the unit square [0, 1] x [0, 1] for each key."""
    n = len(keys)
    if n == 0:
        return {}
    if n == 1:
        return {keys[0]: (0.5, 0.5)}
    pos = {
        key: [0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)]
        for i, key in enumerate(keys)
    }
    if n <= LARGEST_SPREAD:
        _spread(pos, ties)
    return {key: (x, y) for key, (x, y) in pos.items()}


def _spread(pos: dict, ties) -> None:
    keys = list(pos)
    k = math.sqrt(1.0 / len(keys))  # the ideal distance between nodes
    step = 0.1
    for _round in range(STEPS):
        move = {key: [0.0, 0.0] for key in keys}
        for i, a in enumerate(keys):
            ax, ay = pos[a]
            for b in keys[i + 1 :]:
                dx, dy = ax - pos[b][0], ay - pos[b][1]
                dist = math.hypot(dx, dy) or 1e-6
                push = k * k / dist
                move[a][0] += dx / dist * push
                move[a][1] += dy / dist * push
                move[b][0] -= dx / dist * push
                move[b][1] -= dy / dist * push
        for a, b in ties:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = math.hypot(dx, dy) or 1e-6
            pull = dist * dist / k
            move[a][0] -= dx / dist * pull
            move[a][1] -= dy / dist * pull
            move[b][0] += dx / dist * pull
            move[b][1] += dy / dist * pull
        for key in keys:
            mx, my = move[key]
            length = math.hypot(mx, my) or 1e-6
            pos[key][0] += mx / length * min(length, step)
            pos[key][1] += my / length * min(length, step)
        step *= 0.95
    _fit(pos)


def _fit(pos: dict) -> None:
    """Scale the positions back into [0.05, 0.95] on both axes."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    for key, (x, y) in pos.items():
        pos[key] = [_rescale(x, min(xs), max(xs)), _rescale(y, min(ys), max(ys))]


def _rescale(value: float, low: float, high: float) -> float:
    if high - low < 1e-9:
        return 0.5
    return 0.05 + 0.9 * (value - low) / (high - low)


def network_drawing(
    nodes: Sequence[DrawnNode],
    ties: Sequence[tuple[Hashable, Hashable]],
    *,
    title: str,
    size: int = 480,
) -> SafeString:
    """The SVG of the network: a line per tie, a labelled circle per node."""
    where = layout([key for key, _label, _css in nodes], ties)
    pad = 24
    span = size - 2 * pad

    def point(key) -> tuple[float, float]:
        x, y = where[key]
        return pad + x * span, pad + y * span

    parts = []
    for a, b in ties:
        (x1, y1), (x2, y2) = point(a), point(b)
        parts.append(
            f'<line class="network-tie" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'
        )
    for key, label, css in nodes:
        x, y = point(key)
        parts.append(
            f'<g class="network-node {escape(css)}"><title>{escape(label)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6"/>'
            f'<text x="{x + 8:.1f}" y="{y + 4:.1f}">{escape(_short_label(label))}</text></g>'
        )
    head = format_html(
        '<svg class="network" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {} {}" aria-label="{}"><title>{}</title>',
        size + LABEL_ROOM,
        size,
        title,
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # every part escapes its own text


def _short_label(label: str, most: int = 18) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
