"""Serializers of competitiveness plans: explicit fields; the relations a user may name are
limited to their scope (an id outside it answers 404)."""

from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin
from clusters.models import Cluster, Decision
from monitoring.models.activities import Activity
from plans.models import Plan, PlanAction, PlanStudy
from scorecards.models import KPI


class PlanStudySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanStudy
        fields = ["id", "original_name", "extension", "size", "uploaded_at"]


class PlanSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"cluster": "pk"}
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all())
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    studies = PlanStudySerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "cluster",
            "version",
            "previous",
            "title",
            "period_start",
            "period_end",
            "diagnostic",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "benchmark_group",
            "state",
            "decision",
            "approved_at",
            "actions",
            "studies",
        ]
        read_only_fields = ["version", "previous", "state", "decision", "approved_at"]


class ApproveSerializer(serializers.Serializer):
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(),
        help_text="A decision of a meeting of the cluster's steering committee.",
    )


class PlanActionSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"plan": "cluster"}
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    kpis = serializers.PrimaryKeyRelatedField(
        many=True, queryset=KPI.objects.filter(cluster__isnull=True), required=False
    )
    activities = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "plan",
            "origin",
            "title",
            "owner",
            "starts_on",
            "ends_on",
            "budget_program",
            "budget_firms",
            "budget_public",
            "budget_credit",
            "currency",
            "status",
            "kpis",
            "activities",
        ]
        read_only_fields = ["origin"]

    def get_activities(self, action) -> list[int]:
        """The activities of the log done for this action (ids)."""
        return [link.activity_id for link in action.links.all()]


class LinkSerializer(ScopedRelationsMixin, serializers.Serializer):
    scoped_relations = {"activity": "cluster"}
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
