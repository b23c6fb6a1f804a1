"""Serializers of calls for proposals (explicit fields; shares as `_percent` fields)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Role, User
from accounts.scoped_relations import ScopedRelationsMixin, programs_in_scope
from calls.models import Application, Call, Criterion, Score
from core.api import PercentField


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight"]


class CallSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A call for proposals of a program; its state moves through the transition action."""

    scoped_relations = {"program": programs_in_scope}
    criteria = CriterionSerializer(many=True, required=False)
    evaluators = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(role=Role.PROGRAM_OFFICER),
        help_text=_("Program officers who score the applications."),
    )
    min_cofinancing_percent = PercentField(
        source="min_cofinancing", max_percent=100, required=False
    )
    state = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "program",
            "title",
            "text",
            "deadline",
            "budget",
            "scale_max",
            "min_firms",
            "local_institution_required",
            "min_cofinancing_percent",
            "evaluators",
            "criteria",
            "state",
            "published_at",
        ]


class CallTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[Call.State.PUBLISHED, Call.State.CLOSED])


class ApplicationSerializer(serializers.ModelSerializer):
    """An application of a BSO to a call, for a cluster it supports or a new initiative; it is
    submitted (and its eligibility checked) through the submit action."""

    cofinancing_percent = PercentField(source="cofinancing", max_percent=100, required=False)
    bso = serializers.PrimaryKeyRelatedField(read_only=True)
    state = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    selection_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "bso",
            "cluster",
            "new_cluster_name",
            "new_cluster_country",
            "new_cluster_sector",
            "new_cluster_sector_family",
            "new_cluster_type",
            "new_cluster_origin",
            "declared_firms",
            "local_institutions",
            "cofinancing_percent",
            "answers",
            "state",
            "submitted_at",
            "selection_reason",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "evaluator", "value", "comment"]
        read_only_fields = ["evaluator"]


class ScoresSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True)


class SelectSerializer(serializers.Serializer):
    reason = serializers.CharField()
