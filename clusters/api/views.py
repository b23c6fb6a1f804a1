"""API views for geography, clusters and steering committees: thin, scoped, service-backed."""

from accounts.permissions import PublicReadAdminWrite, ScopedReadFieldWrite
from accounts.scopes import scope_queryset
from clusters import selectors, services
from clusters.api import filters, serializers
from core.api import ServiceModelViewSet
from core.api_cache import CachedListMixin


class CountryViewSet(ServiceModelViewSet):
    serializer_class = serializers.CountrySerializer
    permission_classes = [PublicReadAdminWrite]
    filterset_fields = ["code"]
    ordering_fields = ["name", "code"]
    queryset = selectors.country_list()


class RegionViewSet(ServiceModelViewSet):
    serializer_class = serializers.RegionSerializer
    permission_classes = [PublicReadAdminWrite]
    filterset_fields = ["code"]
    ordering_fields = ["name", "code"]
    queryset = selectors.region_list()

    def create_object(self, data):
        return services.region_save(region=None, data=data, fields=list(data))

    def update_object(self, instance, data):
        return services.region_save(region=instance, data=data, fields=list(data))

    def perform_destroy(self, instance):
        instance.delete()
        services.membership_changed(reason="region deleted")


class ClusterViewSet(CachedListMixin, ServiceModelViewSet):
    """The public directory of clusters: anyone reads, administrators write. The list is the
    same for everyone, so it is cached as such (core.api_cache)."""

    serializer_class = serializers.ClusterSerializer
    permission_classes = [PublicReadAdminWrite]
    filterset_class = filters.ClusterFilter
    ordering_fields = ["name", "code", "number_of_firms", "employment"]
    queryset = selectors.cluster_list()

    def update_object(self, instance, data):
        return services.cluster_update(cluster=instance, data=data, fields=list(data))

    def perform_destroy(self, instance):
        instance.delete()
        services.membership_changed(reason="cluster deleted")


class ScopedViewSet(ServiceModelViewSet):
    """Rows that belong to a cluster: the queryset is the user's scope, so others answer 404."""

    permission_classes = [ScopedReadFieldWrite]
    cluster_field = "cluster"

    def get_queryset(self):
        return scope_queryset(self.selector(), self.request.user, cluster_field=self.cluster_field)


class CommitteeViewSet(ScopedViewSet):
    serializer_class = serializers.CommitteeSerializer
    filterset_fields = ["cluster"]
    ordering_fields = ["name"]
    selector = staticmethod(selectors.committee_list)

    def create_object(self, data):
        return services.committee_save(committee=None, data=data)

    def update_object(self, instance, data):
        return services.committee_save(committee=instance, data=data)


class CommitteeMemberViewSet(ScopedViewSet):
    serializer_class = serializers.CommitteeMemberSerializer
    filterset_class = filters.CommitteeMemberFilter
    ordering_fields = ["name", "since"]
    cluster_field = "committee__cluster"
    selector = staticmethod(selectors.committee_member_list)

    def create_object(self, data):
        return services.committee_member_save(member=None, data=data)

    def update_object(self, instance, data):
        return services.committee_member_save(member=instance, data=data)


class MeetingViewSet(ScopedViewSet):
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ["held_on"]
    cluster_field = "committee__cluster"
    selector = staticmethod(selectors.meeting_list)

    def create_object(self, data):
        return services.meeting_create(data=data)

    def update_object(self, instance, data):
        return services.meeting_update(meeting=instance, data=data)


class ActionItemViewSet(ScopedViewSet):
    serializer_class = serializers.ActionItemSerializer
    filterset_class = filters.ActionItemFilter
    ordering_fields = ["due_on", "status"]
    cluster_field = "committee__cluster"
    selector = staticmethod(selectors.action_item_list)

    def create_object(self, data):
        return services.action_item_save(item=None, data=data)

    def update_object(self, instance, data):
        return services.action_item_save(item=instance, data=data)
