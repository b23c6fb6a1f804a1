"""API views for BSOs and which clusters they support (public directory data)."""

from accounts.permissions import PublicReadAdminWrite
from bsos import selectors
from bsos.api import filters, serializers
from core.api import ServiceModelViewSet


class BSOViewSet(ServiceModelViewSet):
    serializer_class = serializers.BSOSerializer
    permission_classes = [PublicReadAdminWrite]
    filterset_class = filters.BSOFilter
    ordering_fields = ["name", "code"]
    queryset = selectors.bso_list()


class ClusterSupportViewSet(ServiceModelViewSet):
    serializer_class = serializers.ClusterSupportSerializer
    permission_classes = [PublicReadAdminWrite]
    filterset_class = filters.ClusterSupportFilter
    ordering_fields = ["since"]
    queryset = selectors.support_list()
