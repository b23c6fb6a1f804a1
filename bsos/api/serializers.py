"""Serializers for BSOs and cluster support links."""

from rest_framework import serializers

from bsos.models import BSO, ClusterSupport
from clusters.models import Country


class BSOSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())

    class Meta:
        model = BSO
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "country",
            "city",
            "website",
            "email",
            "phone",
            "contact_person",
            "description",
        ]


class ClusterSupportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClusterSupport
        fields = ["id", "bso", "cluster", "role", "since", "until"]
