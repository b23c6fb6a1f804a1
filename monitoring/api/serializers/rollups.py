"""Serializers for rolled-up values, their explanations and recompute runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import TOTAL_DIGITS
from monitoring.rollups.explain import rollup_scores
from scorecards.models import Level


def _total():
    """A number of a rollup row: a total of many values (TOTAL_DIGITS), or a cluster's."""
    return serializers.DecimalField(**TOTAL_DIGITS, allow_null=True)


class RollupSerializer(serializers.Serializer):
    """A rollup row with its achievement and status (computed by scorecards.scoring). Cluster
    rows are computed on read, not stored: they have no id."""

    id = serializers.IntegerField(allow_null=True)
    kpi = serializers.IntegerField(source="kpi_id")
    kpi_code = serializers.CharField(source="kpi.code")
    level = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    period = serializers.IntegerField(source="period_id")
    period_label = serializers.CharField(source="period.label")
    value = _total()
    numerator = _total()
    denominator = _total()
    value_women = _total()
    value_men = _total()
    target = _total()
    target_derived = serializers.BooleanField()
    baseline = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    achievement = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    clusters_reporting = serializers.IntegerField()
    clusters_complete = serializers.IntegerField(allow_null=True)
    clusters_expected = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    stale = serializers.SerializerMethodField()

    def _scores(self, row):
        cache = self.context.setdefault("scores", {})
        if id(row) not in cache:
            cache[id(row)] = rollup_scores(row)
        return cache[id(row)]

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_achievement(self, row):
        value = self._scores(row)[0]
        return None if value is None else f"{value:.6f}"

    def get_status(self, row) -> str:
        return self._scores(row)[1]

    def get_stale(self, row) -> bool:
        index = self.context.get("stale_index")
        return bool(index and index(row))


class RollupKeySerializer(serializers.Serializer):
    """A rollup value's natural key (query parameters)."""

    kpi = serializers.IntegerField()
    period = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    unit = serializers.IntegerField(min_value=0)


class ContributionSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(source="cluster.pk")
    cluster_name = serializers.CharField(source="cluster.name")
    value = _total()
    numerator = _total()
    denominator = _total()
    state = serializers.ChoiceField(choices=["approved", "pending", "missing"])
    detail = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    rollup = RollupSerializer(source="row")
    formula = serializers.CharField()
    contributions = ContributionSerializer(many=True)
    hidden = serializers.IntegerField(help_text="Clusters counted but outside your scope.")


class RollupRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="run.pk")
    status = serializers.CharField(source="run.status")
    started_at = serializers.DateTimeField(source="run.started_at")
    finished_at = serializers.DateTimeField(source="run.finished_at", allow_null=True)
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    percent = serializers.IntegerField()
    elapsed_s = serializers.FloatField()
    errors = serializers.ListField(child=serializers.DictField())
