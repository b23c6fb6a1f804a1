"""Serializers for templates, KPIs, periods, baselines, targets and cluster scorecards."""

from rest_framework import serializers

from accounts.scoped_relations import (
    ScopedRelationsMixin,
    components_in_scope,
    kpis_in_scope,
    programs_in_scope,
)
from core.api import PercentField
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    ComponentKPI,
    KPIChecks,
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
    "by_age",
    "by_firm_size",
    "by_ownership",
    "scale",
    "cluster",
    "status",
    "decision_reason",
]


class KPIChecksSerializer(serializers.ModelSerializer):
    """A KPI's data-quality rules (the defaults when none were set: null)."""

    # not "threshold": in this API a threshold is a percent (core.api.PercentField)
    outlier_z_cutoff = serializers.DecimalField(
        source="outlier_threshold",
        max_digits=5,
        decimal_places=2,
        read_only=True,
        help_text="A robust z-score (|value - median| / (1.4826 x MAD)) above this is flagged.",
    )

    class Meta:
        model = KPIChecks
        fields = [
            "minimum",
            "maximum",
            "max_change",
            "max_change_kind",
            "numerator_within_denominator",
            "split_adds_up",
            "peer_outliers",
            "outlier_z_cutoff",
        ]
        read_only_fields = fields


class KPISerializer(serializers.ModelSerializer):
    checks = KPIChecksSerializer(
        read_only=True,
        allow_null=True,
        help_text="Its data-quality rules, set on the KPI's rules page; null: the defaults "
        "(only women + men making the total is checked).",
    )

    class Meta:
        model = KPI
        fields = [*KPI_FIELDS, "checks"]
        read_only_fields = ["cluster", "status", "decision_reason", "checks"]


class KPICreateSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A new KPI. With `scorecard` and `csf`: a cluster's own KPI, proposed (BSO staff) where it
    sits on the cluster's scorecard. Without them: a core KPI (administrators), to place in
    templates."""

    scoped_relations = {"scorecard": "cluster"}
    scorecard = serializers.PrimaryKeyRelatedField(
        queryset=ClusterScorecard.objects.current(),
        write_only=True,
        required=False,
        help_text="A cluster's current scorecard: the KPI is that cluster's own, proposed.",
    )
    csf = serializers.PrimaryKeyRelatedField(
        queryset=CSF.objects.all(),
        write_only=True,
        required=False,
        help_text="The CSF of the scorecard's template the own KPI sits under.",
    )

    class Meta:
        model = KPI
        fields = [*KPI_FIELDS, "scorecard", "csf"]
        read_only_fields = ["cluster", "status", "decision_reason"]

    def validate(self, attrs):
        if ("scorecard" in attrs) != ("csf" in attrs):
            missing = "csf" if "scorecard" in attrs else "scorecard"
            raise serializers.ValidationError(
                {missing: ["A cluster's own KPI needs both its scorecard and its CSF."]}
            )
        return attrs


class OwnKPIDecisionSerializer(serializers.Serializer):
    """What accepting or rejecting a proposed own KPI takes: why (required to reject)."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TemplateKPISerializer(serializers.ModelSerializer):
    kpi = KPISerializer()

    class Meta:
        model = TemplateKPI
        fields = ["id", "order", "weight", "kpi"]


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
    green_threshold_percent = PercentField(
        source="green_threshold",
        max_percent=200,
        required=False,
        help_text="Achievement at or above this percentage is green (100 by default).",
    )
    amber_threshold_percent = PercentField(
        source="amber_threshold",
        max_percent=200,
        required=False,
        help_text="Achievement at or above this percentage (and below green) is amber (75).",
    )

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
            "green_threshold_percent",
            "amber_threshold_percent",
            "published_at",
            "perspectives",
        ]
        read_only_fields = ["id", "version", "status", "published_at", "perspectives"]
        validators = []  # the version is the service's to number (template_create)

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError(
                "A template's code is fixed; start another template for another code."
            )
        return value


class FixedParentMixin:
    """The node a row hangs from (`parent_field`) is set when it is created, never moved."""

    parent_field = ""

    def validate(self, attrs):
        parent = attrs.get(self.parent_field)
        moved = parent is not None and self.instance is not None
        if moved and parent.pk != getattr(self.instance, f"{self.parent_field}_id"):
            raise serializers.ValidationError(
                {self.parent_field: ["Fixed once created: add a new one where it belongs."]}
            )
        return super().validate(attrs)


class PerspectiveWriteSerializer(FixedParentMixin, serializers.ModelSerializer):
    """A perspective of a draft template version (its CSFs are written at /csfs/)."""

    parent_field = "template"

    class Meta:
        model = Perspective
        fields = ["id", "template", "name", "order"]


class CSFWriteSerializer(FixedParentMixin, serializers.ModelSerializer):
    """A critical success factor under a perspective of a draft template version."""

    parent_field = "perspective"

    class Meta:
        model = CSF
        fields = ["id", "perspective", "name", "order"]


class TemplateKPIWriteSerializer(FixedParentMixin, serializers.ModelSerializer):
    """A core KPI placed under a CSF of a draft template version (only its order and weight
    change; to move it, remove it and place it again)."""

    parent_field = "csf"

    kpi = serializers.PrimaryKeyRelatedField(queryset=KPI.objects.filter(cluster__isnull=True))

    class Meta:
        model = TemplateKPI
        fields = ["id", "csf", "kpi", "order", "weight"]
        validators = []  # once per CSF: checked by the service's full_clean (400, not 500)


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


class ComponentKPISerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A core KPI that measures a program component's outputs; a component outside the user's
    programs answers 404."""

    scoped_relations = {"component": components_in_scope, "kpi": kpis_in_scope}
    program = serializers.IntegerField(source="component.program_id", read_only=True)
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)

    class Meta:
        model = ComponentKPI
        fields = ["id", "component", "program", "kpi", "kpi_code"]
