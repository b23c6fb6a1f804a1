"""Serializers for reports, their values and their review trail."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.api.serializers import ScopedRelationsMixin
from monitoring.explain import rollup_scores
from monitoring.models import TOTAL_DIGITS, Measurement, Report, ReportTransition
from scorecards.models import Level

VALUE_FIELDS = ["value", "numerator", "denominator", "value_women", "value_men", "note"]


class MeasurementSerializer(serializers.ModelSerializer):
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "report", "kpi", "kpi_code", *VALUE_FIELDS, "revision", "updated_at"]
        read_only_fields = ["id", "report", "kpi", "kpi_code", "revision", "updated_at"]


class MeasurementInputSerializer(serializers.Serializer):
    """Raw inputs for one value; numbers are checked against the KPI's unit by the service,
    so strings are accepted here and turned into per-field errors there."""

    value = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    numerator = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    denominator = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    value_women = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    value_men = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    revision = serializers.IntegerField(
        required=False, min_value=0, help_text="The revision you loaded; a newer one is a 409."
    )


class ReportValuesInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=MeasurementInputSerializer(), help_text="KPI id -> its inputs and revision."
    )


class TransitionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = ReportTransition
        fields = ["action", "from_state", "to_state", "by", "at", "comment"]


class ReportSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"cluster": "pk"}
    period_label = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "cluster", "period", "period_label", "scorecard", "state"]
        read_only_fields = ["scorecard", "state"]
        validators = []  # opening an existing report returns it


class ReportDetailSerializer(ReportSerializer):
    measurements = MeasurementSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "measurements", "transitions"]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ScoreQuerySerializer(serializers.Serializer):
    cluster = serializers.IntegerField(min_value=1)
    period = serializers.IntegerField(min_value=1)


class KPIScoreSerializer(serializers.Serializer):
    kpi = serializers.IntegerField(source="kpi.pk")
    code = serializers.CharField(source="kpi.code")
    name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")
    direction = serializers.CharField(source="kpi.direction")
    own = serializers.BooleanField()
    actual = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    target = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    baseline = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    achievement = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    status = serializers.CharField()


class CSFScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="csf.pk")
    name = serializers.CharField(source="csf.name")
    score = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    status = serializers.CharField()
    kpis = KPIScoreSerializer(many=True)


class PerspectiveScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="perspective.pk")
    name = serializers.CharField(source="perspective.name")
    score = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    status = serializers.CharField()
    csfs = CSFScoreSerializer(many=True)


class ScorecardScoreSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(source="cluster.pk")
    period = serializers.IntegerField(source="period.pk")
    template = serializers.IntegerField(source="scorecard.template_id")
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    report_state = serializers.CharField(source="report.state", allow_null=True, default=None)
    score = serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True)
    status = serializers.CharField()
    perspectives = PerspectiveScoreSerializer(many=True)


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
