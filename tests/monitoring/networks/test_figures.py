"""Network figures on hand-drawn graphs (monitoring.networks.figures) and the properties of
degree centralisation."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from monitoring.networks.figures import (
    FIRM,
    JOINT_ACTIVITY,
    ORGANISATION,
    SURVEY,
    Network,
    Node,
    centralisation,
    network_figures,
)


def firms(*names, member=True):
    return {name: Node(FIRM, i + 1, name, member=member) for i, name in enumerate(names)}


def test_five_firms_two_groups():
    """Ties A-B, A-C, B-C, D-E: degrees 2, 2, 2, 1, 1."""
    f = firms("A", "B", "C", "D", "E")
    network = Network()
    for node in f.values():
        network.add_node(node)
    for a, b in ("AB", "AC", "BC", "DE"):
        network.add_tie(f[a], f[b], SURVEY)

    figures = network_figures(network)

    assert figures.nodes == 5
    assert figures.ties == 4
    assert figures.density == Decimal("0.4")  # 4 of 10 possible ties
    assert (figures.member_firms, figures.firms_with_tie) == (5, 5)
    assert figures.share_with_tie == Decimal("1")
    assert figures.mean_degree == Decimal("1.6")  # 2 x 4 / 5
    assert figures.centralisation == Decimal("0.1667")  # (0+0+0+1+1) / (4 x 3)


def test_a_tie_named_twice_counts_once_and_keeps_both_sources():
    f = firms("A", "B", "C")
    network = Network()
    network.add_tie(f["A"], f["B"], SURVEY)
    network.add_tie(f["B"], f["A"], JOINT_ACTIVITY)
    network.add_node(f["C"])

    figures = network_figures(network)

    assert figures.ties == 1
    assert network.ties[frozenset((f["A"].key, f["B"].key))] == {SURVEY, JOINT_ACTIVITY}
    assert figures.density == Decimal("0.3333")  # 1 of 3
    assert (figures.firms_with_tie, figures.share_with_tie) == (2, Decimal("0.6667"))


def test_a_star_is_fully_centralised_and_organisations_are_not_member_firms():
    hub = Node(ORGANISATION, 1, "Chamber")
    f = firms("A", "B", "C", "D")
    network = Network()
    for node in f.values():
        network.add_tie(hub, node, JOINT_ACTIVITY)

    figures = network_figures(network)

    assert figures.centralisation == Decimal("1")
    assert figures.member_firms == 4  # the chamber is a node, not a member firm
    assert figures.nodes == 5


def test_figures_a_network_cannot_give_are_none_not_zero():
    network = Network()
    network.add_node(Node(FIRM, 1, "Alone", member=True))
    figures = network_figures(network)
    assert figures.density is None
    assert figures.centralisation is None
    assert figures.share_with_tie == Decimal("0")  # one member firm, no tie: a real 0
    assert network_figures(Network()).share_with_tie is None


def test_a_node_is_never_tied_to_itself():
    a = Node(FIRM, 1, "A", member=True)
    network = Network()
    network.add_tie(a, a, SURVEY)
    assert network.ties == {}


@st.composite
def graphs(draw):
    """A simple graph: n nodes and a set of distinct pairs among them."""
    n = draw(st.integers(min_value=3, max_value=12))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    return n, draw(st.lists(st.sampled_from(pairs), unique=True))


@given(graphs())
def test_figures_stay_in_their_ranges_on_any_graph(graph):
    n, pairs = graph
    nodes = [Node(FIRM, i, f"F{i}", member=True) for i in range(n)]
    network = Network()
    for node in nodes:
        network.add_node(node)
    for a, b in pairs:
        network.add_tie(nodes[a], nodes[b], SURVEY)

    figures = network_figures(network)

    assert Decimal(0) <= figures.centralisation <= Decimal(1)
    assert Decimal(0) <= figures.density <= Decimal(1)
    assert figures.density == (Decimal(len(pairs)) / Decimal(n * (n - 1) // 2)).quantize(
        Decimal("0.0001")
    )


@given(st.integers(min_value=3, max_value=40), st.integers(min_value=0, max_value=2))
def test_equal_degrees_give_no_centralisation(n, degree):
    assert centralisation([degree] * n) == Decimal(0)
