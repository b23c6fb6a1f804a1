"""Serializers for templates, KPIs, periods, baselines, targets and cluster scorecards."""

from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin, kpis_in_scope, programs_in_scope
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)

KPI_FIELDS = [
    "id",
    "code",
    "name",
    "description",
    "unit",
    "currency",
    "direction",
    "aggregation",
    "time_aggregation",
    "frequency",
    "results_level",
    "by_sex",
    "scale",
    "cluster",
    "status",
]


class KPISerializer(serializers.ModelSerializer):
    class Meta:
        model = KPI
        fields = KPI_FIELDS
        read_only_fields = ["cluster", "status"]


class OwnKPIProposalSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A cluster's own KPI as proposed: the KPI plus where it sits on the cluster's scorecard."""

    scoped_relations = {"scorecard": "cluster"}
    scorecard = serializers.PrimaryKeyRelatedField(
        queryset=ClusterScorecard.objects.current(), write_only=True
    )
    csf = serializers.PrimaryKeyRelatedField(queryset=CSF.objects.all(), write_only=True)

    class Meta:
        model = KPI
        fields = [*KPI_FIELDS, "scorecard", "csf"]
        read_only_fields = ["cluster", "status"]


class TemplateKPISerializer(serializers.ModelSerializer):
    kpi = KPISerializer()

    class Meta:
        model = TemplateKPI
        fields = ["order", "weight", "kpi"]


class CSFSerializer(serializers.ModelSerializer):
    kpis = TemplateKPISerializer(many=True)

    class Meta:
        model = CSF
        fields = ["id", "name", "order", "kpis"]


class PerspectiveSerializer(serializers.ModelSerializer):
    csfs = CSFSerializer(many=True)

    class Meta:
        model = Perspective
        fields = ["id", "name", "order", "csfs"]


class TemplateSerializer(serializers.ModelSerializer):
    perspectives = PerspectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Template
        fields = [
            "id",
            "code",
            "version",
            "name",
            "description",
            "source",
            "status",
            "green_threshold",
            "amber_threshold",
            "published_at",
            "perspectives",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "kind", "year", "quarter", "label", "starts_on", "ends_on", "deadline"]
        read_only_fields = fields


class PeriodGenerateSerializer(serializers.Serializer):
    first_year = serializers.IntegerField(min_value=1990, max_value=2100)
    last_year = serializers.IntegerField(min_value=1990, max_value=2100)
    deadline_days = serializers.IntegerField(min_value=0, max_value=365, default=30)


class BaselineSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"cluster": "pk", "kpi": kpis_in_scope}

    class Meta:
        model = Baseline
        fields = ["id", "cluster", "kpi", "year", "value", "numerator", "denominator", "note"]
        validators = []  # one per cluster and KPI: setting it again updates it


class TargetSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A target; its KPI, cluster and program must be in the user's scope (404 otherwise).
    Countries and regions are public directory data: one the role may not set answers 403."""

    scoped_relations = {"kpi": kpis_in_scope, "cluster": "pk", "program": programs_in_scope}

    class Meta:
        model = Target
        fields = [
            "id",
            "kpi",
            "period",
            "level",
            "cluster",
            "country",
            "region",
            "program",
            "value",
            "set_by",
        ]
        read_only_fields = ["set_by"]
        validators = []  # uniqueness is an upsert in target_set, not an error

    def validate(self, data):
        level = data.get("level")
        unit_field = None if level == "global" else level
        if unit_field and not data.get(unit_field):
            raise serializers.ValidationError({unit_field: ["Give the unit for this level."]})
        data["unit"] = data.get(unit_field) if unit_field else None
        return data


class ClusterScorecardSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"cluster": "pk"}
    template = serializers.PrimaryKeyRelatedField(queryset=Template.objects.published())

    class Meta:
        model = ClusterScorecard
        fields = ["id", "cluster", "template", "adopted_on", "until"]
        read_only_fields = ["until"]
