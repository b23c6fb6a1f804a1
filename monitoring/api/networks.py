"""/api/v1/networks/?cluster=&round= (or &span=): a cluster's collaboration network (the
page's figures, nodes and ties) for one survey round or year, with every span's figures; a
cluster outside the user's scope answers 404, as does a round or span not of the cluster."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import clusters_in_scope
from monitoring.api.serializers.networks import NetworkQuerySerializer, NetworkSerializer
from monitoring.networks.selectors import cluster_networks, network_spans, node_rows, span_by_key


class NetworkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[NetworkQuerySerializer], responses=NetworkSerializer)
    def get(self, request):
        params = NetworkQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        cluster = get_object_or_404(
            clusters_in_scope(request.user), pk=params.validated_data["cluster"]
        )
        spans = network_spans(cluster)
        wanted = params.validated_data.get("span")
        if "round" in params.validated_data:
            wanted = f"round-{params.validated_data['round']}"
        chosen = span_by_key(spans, wanted)
        if chosen is None:
            raise Http404
        rows = cluster_networks(cluster, spans)
        current = next(row for row in rows if row.span == chosen)
        network = current.network
        data = {
            "cluster": cluster.pk,
            "span": chosen,
            "figures": current.figures,
            "nodes": [
                {"kind": n.kind, "id": n.id, "label": n.label, "member": n.member, "degree": d}
                for n, d in node_rows(network)
            ],
            "ties": [
                {
                    "a": {"kind": a[0], "id": a[1]},
                    "b": {"kind": b[0], "id": b[1]},
                    "sources": sorted(sources),
                }
                for (a, b), sources in (
                    (sorted(pair), sources) for pair, sources in network.ties.items()
                )
            ],
            "spans": [{"span": row.span, "figures": row.figures} for row in rows],
        }
        return Response(NetworkSerializer(data).data)
