"""Serializers of the firm registry (explicit fields, relations scoped to the user)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin, firms_in_scope
from accounts.scopes import is_admin
from bsos.models import BSO
from clusters.models import Cluster, Country
from firms.models import Firm, Membership
from firms.services import FIRM_FIELDS


class FirmSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A firm. On creation, `cluster` (required but for administrators) and `since` record its
    first membership, so that the firm is in the scope of whoever registered it."""

    scoped_relations = {"cluster": "pk"}
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    bsos = serializers.PrimaryKeyRelatedField(many=True, queryset=BSO.objects.all(), required=False)
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=Cluster.objects.all(),
        write_only=True,
        required=False,
        help_text=_("On creation: the cluster the firm is a member of (in your scope)."),
    )
    since = serializers.DateField(
        write_only=True,
        required=False,
        help_text=_("On creation: the date the membership starts (today if not given)."),
    )

    class Meta:
        model = Firm
        fields = ["id", *FIRM_FIELDS, "cluster", "since", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        request = self.context.get("request")
        creating = self.instance is None
        if not creating and ("cluster" in attrs or "since" in attrs):
            raise serializers.ValidationError(
                {"cluster": _("Change memberships at /api/v1/firm-memberships/.")}
            )
        if creating and attrs.get("cluster") is None and request and not is_admin(request.user):
            raise serializers.ValidationError(
                {"cluster": _("Name the cluster the firm is a member of.")}
            )
        return attrs


class MembershipSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A firm's membership of a cluster over a span of dates (`until` open while it lasts)."""

    scoped_relations = {"cluster": "pk", "firm": firms_in_scope}

    class Meta:
        model = Membership
        fields = ["id", "firm", "cluster", "since", "until", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
