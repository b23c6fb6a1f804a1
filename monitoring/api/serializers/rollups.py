"""Serializers for rolled-up values, their explanations and recompute runs."""

from rest_framework import serializers

from core.api import PercentField
from monitoring.models import TOTAL_DIGITS
from monitoring.rollups.figures import Figure, figure
from monitoring.rollups.selectors import name_units
from scorecards.models import Level


def _total(**kwargs):
    """A number of a rollup row: a total of many values (TOTAL_DIGITS), or a cluster's."""
    return serializers.DecimalField(**TOTAL_DIGITS, allow_null=True, **kwargs)


class SplitPartSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    value = _total()
    clusters = serializers.IntegerField(help_text="Reporting clusters that gave this part.")


class SplitSerializer(serializers.Serializer):
    """One dimension of a split KPI beside the total (sex, age group, firm size, ownership):
    its parts added up as the total is, and the share of reporting clusters that gave it."""

    dimension = serializers.CharField()
    label = serializers.CharField()
    clusters_split = serializers.IntegerField(help_text="Reporting clusters that gave the split.")
    completeness_percent = PercentField(
        source="completeness",
        allow_null=True,
        help_text="The percent of the reporting clusters that gave the split.",
    )
    parts = SplitPartSerializer(many=True)


class RollupSerializer(serializers.Serializer):
    """A rollup row with its achievement and status (computed by scorecards.scoring). Cluster
    rows (monitoring.models.ClusterRollup, prepared by the engine) are read without an id."""

    # Rows are presented by monitoring.rollups.figures, as on the pages (stale: the context's
    # stale_index). value, target, baseline are in the KPI's unit, as stored and entered (a ratio
    # KPI's scaled by its `scale`); the percent-like numbers are the `_percent` fields.

    id = serializers.IntegerField(source="row.id", allow_null=True)
    kpi = serializers.IntegerField(source="row.kpi_id")
    kpi_code = serializers.CharField(source="kpi.code")
    level = serializers.CharField(source="row.level")
    unit = serializers.IntegerField(
        source="row.unit_id", help_text="The unit's id at its level (0 for the global level)."
    )
    unit_code = serializers.CharField(
        source="row.unit_code", allow_null=True, help_text="Null for the global level."
    )
    unit_name = serializers.CharField(
        source="row.unit_name", allow_null=True, help_text="Null for the global level."
    )
    period = serializers.IntegerField(source="row.period_id")
    period_label = serializers.CharField(source="row.period.label")
    value = _total()
    numerator = _total(source="row.numerator")
    denominator = _total(source="row.denominator")
    value_women = _total(source="row.value_women")
    value_men = _total(source="row.value_men")
    target = _total()
    target_derived = serializers.BooleanField()
    baseline = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    achievement_percent = PercentField(source="achievement", allow_null=True)
    share_yes_percent = PercentField(
        source="share",
        allow_null=True,
        help_text="A yes/no KPI above the cluster level: the share of reporting clusters "
        "answering yes, in percent (`value` holds it as the KPI's unit, the mean of the 1/0 "
        "answers); null for any other KPI or level.",
    )
    status = serializers.CharField(read_only=True)
    clusters_reporting = serializers.IntegerField(source="coverage.reporting")
    clusters_complete = serializers.IntegerField(source="coverage.complete", allow_null=True)
    clusters_expected = serializers.IntegerField(source="coverage.expected")
    computed_at = serializers.DateTimeField(source="as_of")
    stale = serializers.BooleanField(read_only=True)
    splits = SplitSerializer(
        many=True,
        read_only=True,
        help_text="The KPI's splits beside the total, in lists (empty for a KPI without any).",
    )

    def to_representation(self, instance):
        if not isinstance(instance, Figure):
            instance = figure(instance, stale_index=self.context.get("stale_index"))
        if not hasattr(instance.row, "unit_name"):  # one row read by its key (explain)
            name_units([instance.row])
        return super().to_representation(instance)


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
    progress_percent = serializers.DecimalField(
        source="percent",
        max_digits=5,
        decimal_places=2,
        help_text="Years done or failed of all, a percentage 0-100 as a decimal string "
        "(the API's one convention for percent-like numbers).",
    )
    elapsed_s = serializers.FloatField()
    errors = serializers.ListField(child=serializers.DictField())
