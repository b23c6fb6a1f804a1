"""API views for the plan: templates, KPIs, periods, baselines, targets, cluster scorecards."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import SignedInReadAdminWrite
from accounts.scopes import is_admin, may_write_programs, scope_programs, scope_queryset
from core.api import ServiceModelViewSet
from core.errors import PermissionDenied
from scorecards import selectors, services
from scorecards.api import filters, serializers

DECISION = serializers.OwnKPIDecisionSerializer


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


class TemplateViewSet(ServiceModelViewSet):
    """Scorecard templates with their perspectives, CSFs and KPIs. Administrators create a draft
    version (POST), edit it while it is a draft (PATCH; its tree at /perspectives/, /csfs/ and
    /template-kpis/), publish it (frozen from then on) and start the next version from it."""

    serializer_class = serializers.TemplateSerializer
    permission_classes = [SignedInReadAdminWrite]
    filterset_fields = ["code", "status"]
    ordering_fields = ["code", "version"]
    queryset = selectors.template_list()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_object(self, data):
        return services.template_create(data=data)

    def update_object(self, instance, data):
        return services.template_update(template=instance, data=data)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        require(is_admin(request.user), "Only administrators publish templates.")
        template = services.template_publish(template=self.get_object())
        return Response(self.get_serializer(template).data)

    @extend_schema(request=None, responses={201: serializers.TemplateSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        require(is_admin(request.user), "Only administrators create template versions.")
        draft = services.template_new_version(template=self.get_object())
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)


class PerspectiveViewSet(ServiceModelViewSet):
    """The perspectives of template versions; administrators add and edit them on drafts."""

    serializer_class = serializers.PerspectiveWriteSerializer
    permission_classes = [SignedInReadAdminWrite]
    filterset_fields = ["template"]
    queryset = selectors.perspective_list()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_object(self, data):
        return services.perspective_create(template=data.pop("template"), data=data)

    def update_object(self, instance, data):
        return services.perspective_update(perspective=instance, data=data)


class CSFViewSet(ServiceModelViewSet):
    """Critical success factors; administrators add and edit them on draft template versions."""

    serializer_class = serializers.CSFWriteSerializer
    permission_classes = [SignedInReadAdminWrite]
    filterset_fields = ["perspective"]
    queryset = selectors.csf_list()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_object(self, data):
        return services.csf_create(perspective=data.pop("perspective"), data=data)

    def update_object(self, instance, data):
        return services.csf_update(csf=instance, data=data)


class TemplateKPIViewSet(ServiceModelViewSet):
    """Core KPIs placed under the CSFs of template versions; administrators place, reorder,
    reweigh and remove them on drafts."""

    serializer_class = serializers.TemplateKPIWriteSerializer
    permission_classes = [SignedInReadAdminWrite]
    filterset_fields = ["csf", "kpi"]
    queryset = selectors.template_kpi_list()

    def create_object(self, data):
        return services.template_kpi_place(csf=data.pop("csf"), kpi=data.pop("kpi"), data=data)

    def update_object(self, instance, data):
        return services.template_kpi_update(placement=instance, data=data)

    def perform_destroy(self, instance):
        services.template_kpi_remove(placement=instance)


class KPIViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Core KPIs, and the own KPIs of the clusters in the user's scope.

    POST without `scorecard` creates a core KPI (administrators); with `scorecard` and `csf` it
    proposes a cluster's own KPI (BSO staff), which `accept` and `reject` decide on (program
    officers), with a `reason` (required to reject). PATCH changes a core KPI (administrators)
    or a proposed own KPI (BSO staff); a KPI's definition (unit, aggregation...) is fixed once
    it has values. `?code=` finds a KPI by its code, exactly but ignoring case.
    """

    permission_classes = [IsAuthenticated]
    filterset_class = filters.KPIFilter
    ordering_fields = ["code"]

    def get_queryset(self):
        return scope_queryset(selectors.kpi_list(), self.request.user, shared_when_null=True)

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.KPICreateSerializer
        return serializers.KPISerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        scorecard, csf = data.pop("scorecard", None), data.pop("csf", None)
        if scorecard is None:
            require(
                is_admin(self.request.user),
                "Only administrators create core KPIs; a cluster's own KPI is proposed with "
                "its scorecard and CSF.",
            )
            serializer.instance = services.kpi_create(data=data)
            return
        serializer.instance = services.own_kpi_propose(
            scorecard=scorecard, csf=csf, data=data, user=self.request.user
        )

    def perform_update(self, serializer):
        kpi, data = serializer.instance, dict(serializer.validated_data)
        if kpi.is_core:
            require(is_admin(self.request.user), "Only administrators change core KPIs.")
            serializer.instance = services.kpi_update(kpi=kpi, data=data)
            return
        serializer.instance = services.own_kpi_edit(kpi=kpi, data=data, user=self.request.user)

    def _decide(self, request, accept: bool):
        params = serializers.OwnKPIDecisionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        kpi = services.own_kpi_decide(
            kpi=self.get_object(),
            accept=accept,
            user=request.user,
            reason=params.validated_data.get("reason", ""),
        )
        return Response(serializers.KPISerializer(kpi).data)

    @extend_schema(
        request=serializers.OwnKPIDecisionSerializer, responses=serializers.KPISerializer
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, accept=True)

    @extend_schema(
        request=serializers.OwnKPIDecisionSerializer, responses=serializers.KPISerializer
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, accept=False)


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PeriodSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "year", "quarter"]
    ordering_fields = ["year", "quarter", "deadline"]
    queryset = selectors.period_list()

    @extend_schema(
        responses={
            201: inline_serializer("PeriodsGenerated", {"created": drf_serializers.IntegerField()})
        }
    )
    @action(detail=False, methods=["post"], serializer_class=serializers.PeriodGenerateSerializer)
    def generate(self, request):
        """Create the quarters and years of a range of years (admins)."""
        require(is_admin(request.user), "Only administrators generate periods.")
        params = serializers.PeriodGenerateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        created = services.periods_generate(**params.validated_data)
        return Response({"created": created}, status=status.HTTP_201_CREATED)


class BaselineViewSet(ServiceModelViewSet):
    serializer_class = serializers.BaselineSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["cluster", "kpi"]

    def get_queryset(self):
        return scope_queryset(selectors.baseline_list(), self.request.user)

    def create_object(self, data):
        cluster, kpi = data.pop("cluster"), data.pop("kpi")
        return services.baseline_set(cluster=cluster, kpi=kpi, data=data, user=self.request.user)

    def update_object(self, instance, data):
        data = {k: v for k, v in data.items() if k not in ("cluster", "kpi")}
        return services.baseline_set(
            cluster=instance.cluster, kpi=instance.kpi, data=data, user=self.request.user
        )

    def perform_destroy(self, instance):
        services.baseline_delete(baseline=instance, user=self.request.user)


class TargetViewSet(ServiceModelViewSet):
    """Targets: cluster-level ones in the user's scope, and every other level's."""

    serializer_class = serializers.TargetSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kpi", "period", "level", "cluster", "country", "region", "program"]

    def get_queryset(self):
        return scope_queryset(selectors.target_list(), self.request.user, shared_when_null=True)

    def create_object(self, data):
        return services.target_set(
            kpi=data["kpi"],
            period=data["period"],
            level=data["level"],
            unit=data["unit"],
            value=data["value"],
            user=self.request.user,
        )

    def perform_create(self, serializer):
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def update_object(self, instance, data):
        return services.target_set(
            kpi=instance.kpi,
            period=instance.period,
            level=instance.level,
            unit=getattr(instance, instance.level, None) if instance.level != "global" else None,
            value=data.get("value", instance.value),
            user=self.request.user,
        )

    def perform_destroy(self, instance):
        unit = None if instance.level == "global" else getattr(instance, instance.level)
        services.target_delete(target=instance, unit=unit, user=self.request.user)


class ClusterScorecardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Which template version each cluster measures itself with; POST adopts one."""

    serializer_class = serializers.ClusterScorecardSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["cluster", "template"]

    def get_queryset(self):
        return scope_queryset(selectors.scorecard_list(), self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.scorecard_adopt(
            cluster=data["cluster"],
            template=data["template"],
            on=data["adopted_on"],
            user=self.request.user,
        )


class ProgramWriterPermission(BasePermission):
    """Signed-in users read what their programs hold; program officers and admins change it."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or may_write_programs(request.user)


class ComponentKPIViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Which core KPIs measure which program components (their program-level targets are the
    component's output targets, beside its budget disbursed on the program page). The links of
    the programs in the user's scope; program officers (their programs) and admins add and
    remove them; another program's component answers 404."""

    serializer_class = serializers.ComponentKPISerializer
    permission_classes = [ProgramWriterPermission]
    filterset_fields = ["component", "kpi"]

    def get_queryset(self):
        rows = selectors.component_kpi_list()
        return scope_programs(rows, self.request.user, program_field="component__program")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.component_kpi_link(
            component=data["component"], kpi=data["kpi"]
        )

    def perform_destroy(self, instance):
        services.component_kpi_unlink(link=instance)
