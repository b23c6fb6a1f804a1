"""Serializers for geography, clusters and committees (explicit fields, scoped relations)."""

from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin
from clusters.models import (
    MEMBER_FIELDS,
    ActionItem,
    Cluster,
    CommitteeMember,
    Country,
    Meeting,
    Region,
    SteeringCommittee,
)


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.all()
    )

    class Meta:
        model = Region
        fields = ["id", "code", "name", "countries"]


class ClusterSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "id",
            "code",
            "name",
            "country",
            "country_name",
            "locality",
            "sector",
            "sector_family",
            "cluster_type",
            "lifecycle_stage",
            "initiative_origin",
            "number_of_firms",
            "employment",
            "women_led_firms",
            "latitude",
            "longitude",
            "description",
            "status",
        ]


class CommitteeSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"cluster": "pk"}

    class Meta:
        model = SteeringCommittee
        fields = ["id", "cluster", "name", "established_on"]


class CommitteeMemberSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"committee": "cluster"}

    class Meta:
        model = CommitteeMember
        fields = ["id", "committee", *MEMBER_FIELDS]


class MeetingSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {"committee": "cluster", "attendees": "committee__cluster"}
    decisions = serializers.ListField(
        child=serializers.CharField(max_length=5000), required=False, write_only=True
    )

    class Meta:
        model = Meeting
        fields = ["id", "committee", "held_on", "location", "minutes", "attendees", "decisions"]

    def to_representation(self, instance):
        data = super().to_representation(instance)  # decisions are write-only: add them as text
        data["decisions"] = [d.text for d in instance.decisions.all()]
        return data


class ActionItemSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    scoped_relations = {
        "committee": "cluster",
        "meeting": "committee__cluster",
        "decision": "meeting__committee__cluster",
        "owner": "committee__cluster",
    }

    class Meta:
        model = ActionItem
        fields = ["id", "committee", "meeting", "decision", "title", "owner", "due_on", "status"]
