"""Knowledge exchange over the API, read only: /api/v1/case-studies/ and
/api/v1/exchange-visits/ list what the user's scope holds (published or not); an object outside
it answers 404. Writes are the pages' (public.exchange.services)."""

from rest_framework import serializers, viewsets

from public.exchange import selectors
from public.exchange.models import CaseStudy, ExchangeVisit


class CaseStudySerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    kpis = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "cluster",
            "title",
            "summary",
            "body",
            "sector_family",
            "topics",
            "kpis",
            "published",
            "published_at",
            "created_at",
            "updated_at",
        ]


class ExchangeVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeVisit
        fields = [
            "id",
            "visitor",
            "host",
            "starts_on",
            "ends_on",
            "purpose",
            "women",
            "men",
            "learnt",
            "host_activity",
            "visitor_activity",
            "published",
            "published_at",
            "created_at",
            "updated_at",
        ]


class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseStudySerializer
    filterset_fields = ["cluster", "published", "sector_family"]
    ordering_fields = ["created_at", "title"]

    def get_queryset(self):
        return selectors.case_studies_in_scope(self.request.user).prefetch_related("kpis")


class ExchangeVisitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExchangeVisitSerializer
    filterset_fields = ["host", "visitor", "published"]
    ordering_fields = ["starts_on"]

    def get_queryset(self):
        return selectors.visits_in_scope(self.request.user)
