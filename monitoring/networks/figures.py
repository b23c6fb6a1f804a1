"""The figures of a collaboration network, from its nodes and ties alone (no database).

A network has nodes (the cluster's member firms, plus any firm or organisation a tie names)
and undirected ties; two nodes are tied once however many sources say so. With n nodes,
m ties, and d(v) the degree of node v (its number of ties):

- density = m / (n (n - 1) / 2), the share of the possible ties that exist;
- firms with a tie = member firms with d(v) >= 1, and their share of the member firms;
- mean degree = 2 m / n;
- degree centralisation (Freeman) = sum over v of (d_max - d(v)) / ((n - 1)(n - 2)): 0 when
  every node has the same degree, 1 for a star (one node tied to all, no other tie). The
  denominator is the largest sum a network of n nodes can reach (the star's), so networks of
  different sizes compare; it needs n >= 3.

Worked example (tests/monitoring/networks/test_figures.py): five firms A..E, ties A-B, A-C,
B-C, D-E. Degrees 2, 2, 2, 1, 1; density 4/10 = 0.4; every firm has a tie (5 of 5); mean
degree 8/5 = 1.6; centralisation ((0 + 0 + 0 + 1 + 1) / (4 x 3)) = 2/12 = 0.1667.

A figure that the network cannot give (density of fewer than 2 nodes, centralisation of fewer
than 3, a share of no member firm) is None, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

FIRM, ORGANISATION = "firm", "organisation"
# How a tie is known.
SURVEY, JOINT_ACTIVITY = "survey", "activity"

NodeKey = tuple[str, int]  # (FIRM or ORGANISATION, id)
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Node:
    kind: str  # FIRM or ORGANISATION
    id: int
    label: str
    member: bool = False  # a member firm of the cluster during the span

    @property
    def key(self) -> NodeKey:
        return (self.kind, self.id)


@dataclass
class Network:
    """Nodes by key, and ties: each unordered pair of keys with the sources that name it."""

    nodes: dict[NodeKey, Node] = field(default_factory=dict)
    ties: dict[frozenset[NodeKey], set[str]] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        known = self.nodes.get(node.key)
        if known is None or (node.member and not known.member):
            self.nodes[node.key] = node

    def add_tie(self, a: Node, b: Node, source: str) -> None:
        """Tie two nodes (both added if new); a node is never tied to itself."""
        if a.key == b.key:
            return
        self.add_node(a)
        self.add_node(b)
        self.ties.setdefault(frozenset((a.key, b.key)), set()).add(source)

    def degrees(self) -> dict[NodeKey, int]:
        degree = dict.fromkeys(self.nodes, 0)
        for pair in self.ties:
            for key in pair:
                degree[key] += 1
        return degree

    def member_firms(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.member]


@dataclass(frozen=True)
class Figures:
    nodes: int
    ties: int
    member_firms: int
    firms_with_tie: int
    share_with_tie: Decimal | None  # a fraction, 0..1
    density: Decimal | None  # 0..1
    mean_degree: Decimal | None
    centralisation: Decimal | None  # 0..1

    @property
    def share_with_tie_percent(self) -> Decimal | None:
        if self.share_with_tie is None:
            return None
        return (self.share_with_tie * 100).quantize(Decimal("0.01"), ROUND_HALF_EVEN)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(FOUR_PLACES, ROUND_HALF_EVEN)


def centralisation(degrees: Iterable[int]) -> Decimal | None:
    """Freeman's degree centralisation of a network with these node degrees (see above)."""
    degrees = list(degrees)
    n = len(degrees)
    if n < 3:
        return None
    top = max(degrees)
    return _ratio(sum(top - d for d in degrees), (n - 1) * (n - 2))


def network_figures(network: Network) -> Figures:
    degree = network.degrees()
    n, m = len(network.nodes), len(network.ties)
    members = network.member_firms()
    tied = sum(1 for node in members if degree[node.key] > 0)
    return Figures(
        nodes=n,
        ties=m,
        member_firms=len(members),
        firms_with_tie=tied,
        share_with_tie=_ratio(tied, len(members)),
        density=_ratio(m, n * (n - 1) // 2) if n >= 2 else None,
        mean_degree=_ratio(2 * m, n),
        centralisation=centralisation(degree.values()),
    )
