"""API views of calls for proposals: thin, scoped by calls.selectors, service-backed.

Calls: signed-in users read the public calls and the drafts of programs they write; program
officers (their programs) and administrators write. Applications: signed-in users read their
scope (calls.selectors); BSO staff write their BSO's drafts; the call's evaluators declare and
score; the call's officers select. Out of scope answers 404.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from accounts.scopes import may_write_programs
from calls import selectors, services
from calls.api import serializers
from calls.models import Application
from core.api import ServiceModelViewSet


class CallPermission(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or may_write_programs(request.user)


def _criteria(data: dict):
    criteria = data.pop("criteria", None)
    return None if criteria is None else [dict(item) for item in criteria]


class CallViewSet(ServiceModelViewSet):
    """Calls for proposals: public once published. Filters: none; newest deadline first."""

    permission_classes = [CallPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.calls_in_scope(self.request.user).prefetch_related(
            "criteria", "evaluators"
        )

    def get_serializer_class(self):
        if self.action == "transition":
            return serializers.CallTransitionSerializer
        return serializers.CallSerializer

    def create_object(self, data):
        return services.call_create(data=data, criteria=_criteria(data))

    def update_object(self, instance, data):
        self._check_manager(instance)
        data.pop("program", None)  # a call stays in its program
        return services.call_update(call=instance, data=data, criteria=_criteria(data))

    def _check_manager(self, call):
        if not selectors.may_manage_call(self.request.user, call):
            raise PermissionDenied(_("Only the program's officers change its calls."))

    @extend_schema(
        request=serializers.CallTransitionSerializer, responses=serializers.CallSerializer
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Publish a draft call (weights adding up to 100, an evaluator, a future deadline) or
        close a published one."""
        call = self.get_object()
        self._check_manager(call)
        command = self.get_serializer(data=request.data)
        command.is_valid(raise_exception=True)
        call = services.call_transition(call=call, to=command.validated_data["to"])
        return Response(serializers.CallSerializer(call, context={"request": request}).data)

    @extend_schema(request=None, responses=serializers.CallSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """End the selection of a closed call: applications not selected become not selected."""
        call = self.get_object()
        self._check_manager(call)
        call = services.call_decide(call=call)
        return Response(serializers.CallSerializer(call, context={"request": request}).data)


class ApplicationViewSet(ServiceModelViewSet):
    """Applications to calls in the user's scope."""

    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.applications_in_scope(self.request.user)

    def get_serializer_class(self):
        return {
            "scores": serializers.ScoresSerializer,
            "select": serializers.SelectSerializer,
        }.get(self.action, serializers.ApplicationSerializer)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if (
            isinstance(serializer, serializers.ApplicationSerializer)
            and "call" in serializer.fields
        ):
            serializer.fields["call"].queryset = selectors.calls_in_scope(self.request.user)
        return serializer

    def create_object(self, data):
        call = data.pop("call")
        return services.application_create(call=call, data=data, user=self.request.user)

    def update_object(self, instance, data):
        data.pop("call", None)
        if instance.bso_id != self.request.user.bso_id:
            raise PermissionDenied(_("Only the applicant BSO changes its application."))
        return services.application_update(application=instance, data=data, user=self.request.user)

    def _answer(self, application: Application):
        application.refresh_from_db()
        return Response(serializers.ApplicationSerializer(application).data)

    @extend_schema(request=None, responses=serializers.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft; an ineligible one answers 400 with the reason of each rule broken."""
        application = self.get_object()
        if application.bso_id != request.user.bso_id:
            raise PermissionDenied(_("Only the applicant BSO submits its application."))
        return self._answer(services.application_submit(application=application))

    @extend_schema(request=None, responses=serializers.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        """The evaluator declares no conflict of interest with this application."""
        application = self.get_object()
        services.declare_no_conflict(application=application, user=request.user)
        return self._answer(application)

    @extend_schema(methods=["GET"], responses=serializers.ScoresSerializer)
    @extend_schema(
        methods=["POST"],
        request=serializers.ScoresSerializer,
        responses=serializers.ScoresSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def scores(self, request, pk=None):
        """The scores the user may read (their own; everybody's once every evaluator scored);
        POST records the evaluator's score and comment on every criterion."""
        application = self.get_object()
        if request.method == "POST":
            payload = self.get_serializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.scores_save(
                application=application,
                user=request.user,
                scores={
                    row["criterion"].pk: (row["value"], row["comment"])
                    for row in payload.validated_data["scores"]
                },
            )
        visible = services.visible_scores(application=application, user=request.user)
        return Response({"scores": serializers.ScoreSerializer(visible, many=True).data})

    @extend_schema(
        request=serializers.SelectSerializer, responses=serializers.ApplicationSerializer
    )
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        """Select the application with a reason: its cluster (created when new) is enrolled in
        the call's program."""
        application = self.get_object()
        if not selectors.may_manage_call(request.user, application.call):
            raise PermissionDenied(_("Only the program's officers select applications."))
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.application_select(
            application=application, reason=payload.validated_data["reason"], user=request.user
        )
        return self._answer(application)
