"""Serializers for the activity log and its attachments (explicit fields, scoped relations)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin, components_in_scope, firms_in_scope
from bsos.models import BSO
from core.currencies import validate_currency
from firms.models import Firm
from monitoring.activities.services import ACTIVITY_FIELDS, PARTICIPANTS
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
    """An activity. `cluster`, `action_item` and `component` must be in the user's scope (an id
    outside it answers 404); `bso` defaults to the BSO of the staff member logging it."""

    scoped_relations = {
        "cluster": "pk",
        "action_item": "committee__cluster",
        "component": components_in_scope,
        "participant_firms": firms_in_scope,
    }
    bso = serializers.PrimaryKeyRelatedField(
        queryset=BSO.objects.all(), required=False, allow_null=True
    )
    total_cost = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    currency = serializers.CharField(
        max_length=3, help_text=_("ISO 4217 code, e.g. ARS, USD (checked against the list).")
    )
    attachments = AttachmentSerializer(many=True, read_only=True)
    participant_firms = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Firm.objects.all(),
        required=False,
        help_text=_("Ids of registry firms that took part: members of the activity's cluster."),
    )

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
        fields = [*ACTIVITY_FIELDS, PARTICIPANTS, *read_only_fields]

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()  # "ars" is plainly meant as ARS
        try:
            validate_currency(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
