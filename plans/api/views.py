"""API views of competitiveness plans: thin, scoped by plans.selectors, service-backed.

Signed-in users read the plans of their scope; BSO staff of the cluster and administrators
write (others 403); out of scope answers 404. An approved version refuses changes (400, saying
it is frozen); `revise` starts the next version.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import ScopedReadFieldWrite
from core.api import ServiceModelViewSet
from plans import selectors, services
from plans.api import serializers


class PlanViewSet(ServiceModelViewSet):
    """Versions of the clusters' competitiveness plans, newest first per cluster."""

    permission_classes = [ScopedReadFieldWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["cluster", "state"]

    def get_queryset(self):
        return selectors.plans_in_scope(self.request.user).prefetch_related("actions", "studies")

    def get_serializer_class(self):
        if self.action == "approve":
            return serializers.ApproveSerializer
        return serializers.PlanSerializer

    def create_object(self, data):
        cluster = data.pop("cluster")
        return services.plan_create(cluster=cluster, data=data, user=self.request.user)

    def update_object(self, instance, data):
        data.pop("cluster", None)  # a plan stays with its cluster
        return services.plan_update(plan=instance, data=data, user=self.request.user)

    def _answer(self, plan):
        return Response(
            serializers.PlanSerializer(plan, context=self.get_serializer_context()).data
        )

    @extend_schema(request=serializers.ApproveSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Record the steering committee's decision approving this version (then frozen)."""
        plan = self.get_object()
        command = self.get_serializer(data=request.data)
        command.is_valid(raise_exception=True)
        decision = command.validated_data["decision"]
        return self._answer(services.plan_approve(plan=plan, decision=decision, user=request.user))

    @extend_schema(
        request=None,
        responses={
            200: serializers.PlanSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Refused: the version is still a draft, or a newer one exists "
                "(`non_field_errors` says which).",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Start the next version, a draft copy of this approved one."""
        plan = self.get_object()
        return self._answer(services.plan_revise(plan=plan, user=request.user))


class PlanActionViewSet(ServiceModelViewSet):
    """Actions of the plans in scope, with the KPIs they should move and the activities done
    for them (`link` adds one)."""

    permission_classes = [ScopedReadFieldWrite]
    filterset_fields = ["plan", "status"]

    def get_queryset(self):
        return selectors.actions_in_scope(self.request.user)

    def get_serializer_class(self):
        if self.action == "link":
            return serializers.LinkSerializer
        return serializers.PlanActionSerializer

    def create_object(self, data):
        plan = data.pop("plan")
        return services.action_create(plan=plan, data=data, user=self.request.user)

    def update_object(self, instance, data):
        data.pop("plan", None)
        return services.action_update(action=instance, data=data, user=self.request.user)

    def perform_destroy(self, instance):
        services.action_delete(action=instance, user=self.request.user)

    @extend_schema(request=serializers.LinkSerializer, responses=serializers.PlanActionSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Link an activity of the cluster's log to this action."""
        plan_action = self.get_object()
        command = self.get_serializer(data=request.data)
        command.is_valid(raise_exception=True)
        services.action_activity_link(
            action=plan_action, activity=command.validated_data["activity"], user=request.user
        )
        plan_action = self.get_queryset().get(pk=plan_action.pk)
        context = self.get_serializer_context()
        return Response(serializers.PlanActionSerializer(plan_action, context=context).data)
