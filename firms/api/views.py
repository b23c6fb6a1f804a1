"""API views of the firm registry: signed-in users read the firms of their scope, BSO staff and
administrators write them; firm details are never public."""

from accounts.permissions import ScopedReadFieldWrite
from accounts.scopes import scope_firms, scope_queryset
from core.api import ServiceModelViewSet
from firms import selectors, services
from firms.api import filters, serializers


class FirmViewSet(ServiceModelViewSet):
    """Firms of the registry in the user's scope (members, now or before, of its clusters).
    Filters: `q`, `country`, `cluster` (member today), `bso`, `size_class`, `women_led`."""

    serializer_class = serializers.FirmSerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_class = filters.FirmFilter
    ordering_fields = ["name", "founded", "created_at"]

    def get_queryset(self):
        return scope_firms(selectors.firm_list().prefetch_related("bsos"), self.request.user)

    def create_object(self, data):
        cluster, since = data.pop("cluster", None), data.pop("since", None)
        return services.firm_create(data=data, cluster=cluster, since=since)

    def update_object(self, instance, data):
        return services.firm_update(firm=instance, data=data)


class MembershipViewSet(ServiceModelViewSet):
    """Memberships of firms in clusters of the user's scope. Filters: `firm`, `cluster`,
    `current`."""

    serializer_class = serializers.MembershipSerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_class = filters.MembershipFilter
    ordering_fields = ["since", "until"]

    def get_queryset(self):
        return scope_queryset(selectors.membership_list(), self.request.user)

    def create_object(self, data):
        return services.membership_create(data=data)

    def update_object(self, instance, data):
        return services.membership_update(membership=instance, data=data)

    def perform_destroy(self, instance):
        services.membership_delete(membership=instance)
