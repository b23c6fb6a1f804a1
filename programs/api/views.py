"""API views for programs: thin, scoped to the user's programs, service-backed.

Out-of-scope programs are simply not in the queryset, so they answer 404 for reading and
writing alike; only program officers (their own programs) and administrators write.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from accounts.scopes import may_write_programs, scope_programs
from core.api import ServiceModelViewSet
from programs import selectors, services
from programs.api import filters, serializers

# The query of GET programs/{id}/disbursements/ (filters.DisbursementFilter, ordering, pages).
DISBURSEMENT_LIST_PARAMETERS = [
    OpenApiParameter("after", OpenApiTypes.DATE, description="Disbursed on or after this date."),
    OpenApiParameter("before", OpenApiTypes.DATE, description="Disbursed on or before this date."),
    OpenApiParameter("component", OpenApiTypes.INT, description="Only this component's."),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=["date", "-date", "amount", "-amount"]),
    OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the list."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page (up to 500)."),
]


class ProgramPermission(BasePermission):
    """Signed-in users read the programs in their scope; program officers and admins write."""

    message = _("Only program officers and administrators change programs.")

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or may_write_programs(request.user)


class ProgramViewSet(ServiceModelViewSet):
    permission_classes = [ProgramPermission]
    filterset_class = filters.ProgramFilter
    ordering_fields = ["name", "code", "approval_date", "total_amount", "funder_amount"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "retrieve":
            return scope_programs(selectors.program_detail(), self.request.user)
        return scope_programs(selectors.portfolio_rows(), self.request.user)

    def get_serializer_class(self):
        return {
            "retrieve": serializers.ProgramDetailSerializer,
            "transition": serializers.TransitionSerializer,
            "disbursements": serializers.DisbursementSerializer,
            "portfolio": serializers.PortfolioTotalSerializer,
        }.get(self.action, serializers.ProgramSerializer)

    def _fresh(self, program):
        """The program again, with the portfolio numbers the answer shows."""
        return selectors.portfolio_rows().get(pk=program.pk)

    def create_object(self, data):
        program = services.program_create(data=data, officer=self._officer())
        return self._fresh(program)

    def update_object(self, instance, data):
        return self._fresh(services.program_update(program=instance, data=data))

    def _program(self):
        """The program of a detail action, in scope (404 otherwise), without the list filters."""
        program = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, program)
        return program

    def _officer(self):
        user = self.request.user
        return None if user.is_admin_role else user  # an officer looks after what they create

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProgramSerializer
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the program along its cycle (preparation, approved, in execution, closed,
        cancelled); a step the cycle does not allow answers 400 with the allowed ones."""
        program = self._program()
        command = self.get_serializer(data=request.data)
        command.is_valid(raise_exception=True)
        program = services.program_transition(
            program=program,
            to=command.validated_data["status"],
            on=command.validated_data.get("on"),
        )
        return Response(serializers.ProgramSerializer(self._fresh(program)).data)

    @extend_schema(
        methods=["GET"],
        filters=False,  # the filter backend would check DisbursementFilter against Program
        parameters=DISBURSEMENT_LIST_PARAMETERS,
        responses=serializers.DisbursementSerializer(many=True),
        description="The program's disbursements, newest first, in pages like every list.",
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.DisbursementSerializer,
        responses={201: serializers.DisbursementSerializer},
        description="Record a disbursement (while the program is approved or in execution, "
        "within the funder amount).",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=filters.DisbursementFilter,
        ordering_fields=["date", "amount"],
    )
    def disbursements(self, request, pk=None):
        """The program's disbursements (newest first); POST records one."""
        program = self._program()
        if request.method == "POST":
            context = {**self.get_serializer_context(), "program": program}
            payload = self.get_serializer(data=request.data, context=context)
            payload.is_valid(raise_exception=True)
            disbursement = services.program_disburse(
                program=program, data=dict(payload.validated_data)
            )
            return Response(self.get_serializer(disbursement).data, status=status.HTTP_201_CREATED)
        rows = self.filter_queryset(selectors.disbursement_list(program))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "currency",
                OpenApiTypes.STR,
                description="ISO 4217 code: one row of totals converted to this currency, each "
                "amount at the latest rate on or before its own date (a program's amounts at "
                "its approval date, a disbursement at its date), naming the rates used; a "
                "missing rate leaves the amounts null and is named. Without it: one row per "
                "currency, nothing converted.",
            )
        ],
        responses=serializers.PortfolioTotalSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=filters.PortfolioTotalsFilter)
    def portfolio(self, request):
        """Totals per currency (never added across currencies) over the filtered programs in
        scope, with the portfolio disbursement rate sum(disbursed) / sum(funder amounts); in
        pages like every list (one row per currency). With `?currency=`, one row converted to
        that currency through the exchange-rate table."""
        query = serializers.PortfolioQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        programs = self.filter_queryset(self.get_queryset())
        currency = query.validated_data.get("currency")
        if currency:
            totals = [
                selectors.portfolio_in_currency(programs, currency, today=timezone.localdate())
            ]
        else:
            totals = selectors.portfolio_totals(programs)
        page = self.paginate_queryset(totals)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class EnrolmentViewSet(ServiceModelViewSet):
    """Which clusters take part in which programs, and when: the enrolments of the programs in
    the user's scope. Program officers (their own programs: active clusters of the program's
    countries) and administrators enrol clusters and change enrolments (an enrolment moves a
    cluster into a program's totals, and into its officers' scope)."""

    serializer_class = serializers.EnrolmentSerializer
    permission_classes = [ProgramPermission]
    filterset_class = filters.EnrolmentFilter
    ordering_fields = ["enrolled_from"]

    def get_queryset(self):
        rows = selectors.enrolment_list()
        return scope_programs(rows, self.request.user, program_field="program")

    def create_object(self, data):
        program = data.pop("program")
        return services.enrolment_create(program=program, data=data, user=self.request.user)

    def update_object(self, instance, data):
        data.pop("program", None)  # an enrolment stays in its program
        return services.enrolment_update(enrolment=instance, data=data, user=self.request.user)

    def perform_destroy(self, instance):
        services.enrolment_delete(enrolment=instance)
