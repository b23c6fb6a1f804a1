"""/api/v1/networks/: a cluster's collaboration network for a span (monitoring.networks)."""

from rest_framework import serializers


class NetworkQuerySerializer(serializers.Serializer):
    cluster = serializers.IntegerField(min_value=1)
    round = serializers.IntegerField(
        required=False, min_value=1, help_text="A survey round of the cluster (its id)."
    )
    span = serializers.CharField(
        required=False,
        max_length=40,
        help_text="A span's key (a year, or round-<id>); the latest by default.",
    )


class SpanSerializer(serializers.Serializer):
    key = serializers.CharField()
    round = serializers.IntegerField(source="round_id", allow_null=True)
    label = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class FiguresSerializer(serializers.Serializer):
    nodes = serializers.IntegerField()
    ties = serializers.IntegerField()
    member_firms = serializers.IntegerField()
    firms_with_tie = serializers.IntegerField()
    share_with_tie_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Percent of the member firms with at least one tie.",
    )
    density = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    mean_degree = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    centralisation = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class SpanFiguresSerializer(serializers.Serializer):
    span = SpanSerializer()
    figures = FiguresSerializer()


class NodeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["firm", "organisation"])
    id = serializers.IntegerField()
    name = serializers.CharField(source="label")
    member = serializers.BooleanField()
    degree = serializers.IntegerField()


class TieEndSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()


class TieSerializer(serializers.Serializer):
    a = TieEndSerializer()
    b = TieEndSerializer()
    sources = serializers.ListField(child=serializers.CharField())


class NetworkSerializer(serializers.Serializer):
    cluster = serializers.IntegerField()
    span = SpanSerializer()
    figures = FiguresSerializer()
    nodes = NodeSerializer(many=True)
    ties = TieSerializer(many=True)
    spans = SpanFiguresSerializer(many=True, help_text="Every span's figures, oldest first.")
