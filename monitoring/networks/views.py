"""The collaboration network page of a cluster: figures per span compared in a table and a
chart, and the chosen span's network drawn (with its ties as a table). Reached through the
cluster, read from the user's scope: a cluster outside it answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope
from core.charts import two_line_chart
from core.graphs import network_drawing
from monitoring.networks.selectors import (
    cluster_networks,
    network_spans,
    node_rows,
    span_by_key,
    tie_rows,
)

# Networks of fewer member firms show their figures and ties, not a drawing.
LEAST_FIRMS_DRAWN = 3


def _node_class(node) -> str:
    return f"network-{node.kind}" + (" network-member" if node.member else "")


def _percent(fraction):
    return None if fraction is None else fraction * 100


@login_required
def cluster_network(request, pk: int):
    cluster = get_object_or_404(clusters_in_scope(request.user), pk=pk)
    spans = network_spans(cluster)
    chosen = span_by_key(spans, request.GET.get("span"))
    if chosen is None:
        raise Http404
    rows = cluster_networks(cluster, spans)
    current = next(row for row in rows if row.span == chosen)
    network = current.network
    nodes = node_rows(network)
    drawing = None
    if current.figures.member_firms >= LEAST_FIRMS_DRAWN:
        drawing = network_drawing(
            [(node.key, node.label, _node_class(node)) for node, _degree in nodes],
            [tuple(pair) for pair in network.ties],
            title=_("Collaboration network of %(cluster)s, %(span)s")
            % {"cluster": cluster.name, "span": chosen.label},
        )
    chart = two_line_chart(
        [row.span.label for row in rows],
        (_("Density (%)"), [_percent(row.figures.density) for row in rows]),
        (_("Firms with a tie (%)"), [_percent(row.figures.share_with_tie) for row in rows]),
        title=_("Density and firms with a tie, by span"),
        bounds=(0, 100),
    )
    context = {
        "cluster": cluster,
        "rows": rows,
        "chosen": chosen,
        "figures": current.figures,
        "nodes": nodes,
        "ties": tie_rows(network),
        "drawing": drawing,
        "least_firms": LEAST_FIRMS_DRAWN,
        "chart": chart,
    }
    return render(request, "networks/cluster_network.html", context)
