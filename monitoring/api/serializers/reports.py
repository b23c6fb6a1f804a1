"""Serializers for reports, their values and their review trail."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin
from core.api import PercentField
from monitoring.models import (
    MAX_COMMENT,
    MAX_EXPLANATION,
    Comment,
    Flag,
    Measurement,
    Report,
    ReportTransition,
)

VALUE_FIELDS = ["value", "numerator", "denominator", "value_women", "value_men", "note"]


class FlagSerializer(serializers.ModelSerializer):
    """A rule of the KPI that the value breaks, its numbers in words, and why it is so anyway."""

    message = serializers.CharField(read_only=True, help_text="The rule's numbers, in words.")

    class Meta:
        model = Flag
        fields = ["rule", "message", "explanation", "explained_at"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
    }
)
class PartsField(serializers.Field):
    """The value's parts other than sex, {dimension: {category: "value"}} (decimal strings,
    as the other numbers); women and men stay in value_women and value_men."""

    def to_representation(self, measurement):
        return {
            dimension: {category: str(value) for category, value in given.items()}
            for dimension, given in measurement.parts.items()
        }


class MeasurementSerializer(serializers.ModelSerializer):
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)
    flags = FlagSerializer(many=True, read_only=True)
    comment_count = serializers.IntegerField(
        read_only=True, help_text="Comments in the value's thread (GET …/comments/)."
    )
    splits = PartsField(
        source="*",
        read_only=True,
        help_text=(
            "Parts by age group, firm size and ownership (the KPI's by_age, by_firm_size, "
            "by_ownership): {dimension: {category: value}}."
        ),
    )

    class Meta:
        model = Measurement
        fields = [
            "id",
            "report",
            "kpi",
            "kpi_code",
            *VALUE_FIELDS,
            "splits",
            "revision",
            "updated_at",
            "flags",
            "comment_count",
        ]
        read_only_fields = [
            "id",
            "report",
            "kpi",
            "kpi_code",
            "splits",
            "revision",
            "updated_at",
            "flags",
            "comment_count",
        ]


class ValueCommentSerializer(serializers.ModelSerializer):
    """A comment in a value's thread; `review_action` names the return or reopening whose
    reason opened the thread (null for a comment written in the thread)."""

    author = serializers.CharField(source="author.username", read_only=True)
    author_name = serializers.SerializerMethodField()
    review_action = serializers.CharField(
        source="transition.action", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "measurement",
            "author",
            "author_name",
            "text",
            "created_at",
            "review_action",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.username


class ValueCommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_COMMENT, help_text="The comment.")


class ExplainInputSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=Flag.Rule.choices, help_text="The flag's rule.")
    explanation = serializers.CharField(
        allow_blank=True,
        max_length=MAX_EXPLANATION,
        help_text="Why the value is right anyway; empty withdraws the explanation.",
    )


class MeasurementInputSerializer(serializers.Serializer):
    """Raw inputs for one value; numbers are checked against the KPI's unit by the service,
    so strings are accepted here and turned into per-field errors there."""

    value = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    numerator = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    denominator = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    value_women = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    value_men = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    splits = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_null=True, allow_blank=True)),
        required=False,
        help_text=(
            "Parts by dimension (age, firm_size, ownership) and category, e.g. "
            '{"age": {"youth": "3", "25-34": "5", "35-plus": "2"}}; a dimension sent replaces '
            "all its parts. They should add up to the value (a flag otherwise)."
        ),
    )
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


class ReturnSerializer(CommentSerializer):
    values = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Ids of the report's values the comment is about: it opens a thread on each.",
    )


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
    achievement_percent = PercentField(source="achievement", allow_null=True)
    status = serializers.CharField()


class CSFScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="csf.pk")
    name = serializers.CharField(source="csf.name")
    score_percent = PercentField(source="score", allow_null=True)
    status = serializers.CharField()
    kpis = KPIScoreSerializer(many=True)


class PerspectiveScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="perspective.pk")
    name = serializers.CharField(source="perspective.name")
    score_percent = PercentField(source="score", allow_null=True)
    status = serializers.CharField()
    csfs = CSFScoreSerializer(many=True)


class ScorecardScoreSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(source="cluster.pk")
    period = serializers.IntegerField(source="period.pk")
    template = serializers.IntegerField(source="scorecard.template_id")
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    report_state = serializers.CharField(source="report.state", allow_null=True, default=None)
    score_percent = PercentField(source="score", allow_null=True)
    status = serializers.CharField()
    perspectives = PerspectiveScoreSerializer(many=True)
