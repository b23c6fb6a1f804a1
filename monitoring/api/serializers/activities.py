"""Serializers for the activity log and its attachments (explicit fields, scoped relations)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bsos.models import BSO
from clusters.api.serializers import ScopedRelationsMixin
from monitoring.activities.services import ACTIVITY_FIELDS
from monitoring.models.activities import Activity, ActivityAttachment


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(method_name="download_url")

    class Meta:
        model = ActivityAttachment
        fields = ["id", "activity", "original_name", "extension", "size", "uploaded_at", "download"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def download_url(self, attachment) -> str:
        return reverse("api:activityattachment-download", args=[attachment.pk])


class ActivitySerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """An activity. `cluster` and `action_item` must be in the user's scope; `bso` defaults
    to the BSO of the staff member logging it."""

    scoped_relations = {"cluster": "pk", "action_item": "committee__cluster"}
    bso = serializers.PrimaryKeyRelatedField(
        queryset=BSO.objects.all(), required=False, allow_null=True
    )
    total_cost = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        # The steering committee meeting the activity records: set by the service
        # (monitoring.activities.meetings), never by the client.
        read_only_fields = [
            "id",
            "total_cost",
            "meeting",
            "attachments",
            "created_at",
            "updated_at",
        ]
        # what a client may set is what the page and the import may set (one list)
        fields = [*ACTIVITY_FIELDS, *read_only_fields]


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
