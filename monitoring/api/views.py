"""API views for reports: open, fill, submit, review; and their individual values."""

import django_filters
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as InvalidQuery
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scope_keys import scope_key
from accounts.scopes import clusters_in_scope, is_admin, scope_reports, scope_rollups
from core.api_cache import CachedListMixin
from core.errors import PermissionDenied
from monitoring import selectors, services
from monitoring.api import serializers
from monitoring.explain import StaleIndex, explain
from monitoring.models import ReportTransition, Rollup, RollupRun
from monitoring.rollups import run_progress, run_start, runs_progress
from monitoring.scores import scorecard_visible_to
from scorecards.models import Level, Period


class ScopedListCache(CachedListMixin):
    """Lists cached per scope (accounts.scope_keys), never per user, and per day: a BSO's
    clusters are those it supports today (accounts.scopes), so a scope may change at midnight
    without any write."""

    def list_cache_parts(self, request) -> tuple:
        return (scope_key(request.user), timezone.localdate())


class ReportViewSet(ScopedListCache, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """One cluster's values for one period. POST opens (or returns) the report of a cluster
    and period; `values` records several values at once; the review actions move it.

    The list is newest first by default: ordering by the period and the cluster's name would
    sort the whole table (joined) for every page."""

    permission_classes = [IsAuthenticated]
    filterset_fields = ["cluster", "period", "state"]
    ordering_fields = ["period__year", "period__quarter", "state"]
    ordering = ["-id"]

    def get_queryset(self):
        selector = selectors.report_detail if self.action == "retrieve" else selectors.report_list
        return scope_reports(selector(), self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ReportDetailSerializer
        return serializers.ReportSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_start(**serializer.validated_data, user=request.user)
        return Response(serializers.ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ReportValuesInputSerializer)
    @action(detail=True, methods=["put"])
    def values(self, request, pk=None):
        """Record values for several KPIs at once: all are saved, or none."""
        report = self.get_object()
        params = serializers.ReportValuesInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rows = {}
        for kpi_id, raw in params.validated_data["values"].items():
            if not str(kpi_id).isdigit():
                raise ValidationError({"values": f"“{kpi_id}” is not a KPI id."})
            rows[int(kpi_id)] = raw
        services.report_record_values(report=report, rows=rows, user=request.user)
        report = selectors.report_detail().get(pk=report.pk)
        return Response(serializers.ReportDetailSerializer(report).data)

    def _move(self, request, action_name):
        params = serializers.CommentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        report = services.report_transition(
            report=self.get_object(),
            action=action_name,
            user=request.user,
            comment=params.validated_data.get("comment", ""),
        )
        return Response(serializers.ReportSerializer(report).data)

    @extend_schema(request=serializers.CommentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._move(request, ReportTransition.Action.SUBMIT)

    @extend_schema(request=serializers.CommentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._move(request, ReportTransition.Action.APPROVE)

    @extend_schema(request=serializers.CommentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send a submitted report back to the cluster (a comment is required)."""
        return self._move(request, ReportTransition.Action.RETURN)

    @extend_schema(request=serializers.CommentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen an approved report for correction (a reason is required)."""
        return self._move(request, ReportTransition.Action.REOPEN)


class MeasurementViewSet(ScopedListCache, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """KPI values of the reports in scope. PATCH one with the `revision` you loaded.

    Listed by report and KPI ids (the unique index of the table), not by the models' default
    ordering, which sorts every value of the table across reports, periods, clusters and KPIs
    for each page."""

    serializer_class = serializers.MeasurementSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["report", "kpi", "report__cluster", "report__period", "report__state"]
    ordering = ["report_id", "kpi_id"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return scope_reports(selectors.measurement_list(), self.request.user, prefix="report__")

    @extend_schema(request=serializers.MeasurementInputSerializer)
    def partial_update(self, request, *args, **kwargs):
        measurement = self.get_object()
        params = serializers.MeasurementInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        current = {f: getattr(measurement, f) for f in serializers.VALUE_FIELDS}
        raw = {**current, **params.validated_data}
        try:
            services.report_record_values(
                report=measurement.report, rows={measurement.kpi_id: raw}, user=request.user
            )
        except ValidationError as error:
            prefix = f"{measurement.kpi_id}."
            raise ValidationError(
                {k.removeprefix(prefix): v for k, v in error.message_dict.items()}
            ) from None
        measurement.refresh_from_db()
        return Response(self.get_serializer(measurement).data)


class ScoreView(APIView):
    """A cluster's scorecard for a period: value, target, achievement and status of each KPI,
    and the CSF, perspective and scorecard scores (the same function as the scorecard page).

    Ministries and regional bodies see values only once the report is approved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[serializers.ScoreQuerySerializer],
        responses=serializers.ScorecardScoreSerializer,
    )
    def get(self, request):
        params = serializers.ScoreQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        cluster = get_object_or_404(
            clusters_in_scope(request.user), pk=params.validated_data["cluster"]
        )
        period = get_object_or_404(Period, pk=params.validated_data["period"])
        card = scorecard_visible_to(request.user, cluster=cluster, period=period)
        return Response(serializers.ScorecardScoreSerializer(card).data)


class RollupPagination(CursorPagination):
    """Cursor pages: the rollup table is large, and a page-number COUNT(*) would cost."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ClusterRollupPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class RollupFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    level = django_filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Rollup
        fields = ["kpi", "level", "unit", "period"]


class RollupViewSet(ScopedListCache, viewsets.ReadOnlyModelViewSet):
    """Rolled-up values of core KPIs at every level, in the user's scope. `explain` lists the
    clusters behind a value with their values and report states, and the formula used.

    The list is cached per scope like the others (the engine's raw SQL writes move core.cache's
    data version too); cluster rows, computed on read, keep the `computed_at` of the read that
    computed them until the data changes."""

    serializer_class = serializers.RollupSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = RollupPagination
    filterset_class = RollupFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def get_queryset(self):
        return scope_rollups(selectors.rollup_list(), self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "stale_index": StaleIndex()}

    def uncached_list(self, request, *args, **kwargs):
        if request.query_params.get("level") != Level.CLUSTER:
            return super().uncached_list(request, *args, **kwargs)
        return self._cluster_list(request)

    def _cluster_list(self, request):
        """Cluster rows are computed on read (not stored): one period or one cluster at a
        time, paged by offset."""
        found = RollupFilter(request.query_params, queryset=Rollup.objects.none())
        if not found.is_valid():
            raise InvalidQuery(found.errors)
        data = found.form.cleaned_data
        if data.get("period") is None and data.get("unit") is None:
            raise InvalidQuery(
                {"level": _("Cluster values are computed when asked: give a period or a unit.")}
            )
        rows = selectors.cluster_rollups_in_scope(
            request.user,
            period_id=data["period"].pk if data.get("period") else None,
            cluster_id=int(data["unit"]) if data.get("unit") is not None else None,
            kpi_id=data["kpi"].pk if data.get("kpi") else None,
        )
        paginator = ClusterRollupPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = self.get_serializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(responses=serializers.ExplanationSerializer)
    @action(detail=True, methods=["get"])
    def explain(self, request, pk=None):
        return self._explained(self.get_object())

    @extend_schema(
        operation_id="v1_rollups_explain_by_key",
        responses=serializers.ExplanationSerializer,
        parameters=[serializers.RollupKeySerializer],
    )
    @action(detail=False, methods=["get"], url_path="explain", url_name="explain-at")
    def explain_at(self, request):
        """Where a value comes from, by its natural key (kpi, period, level, unit): any level,
        the cluster level included (computed on read, so without an id)."""
        key = serializers.RollupKeySerializer(data=request.query_params)
        key.is_valid(raise_exception=True)
        found = key.validated_data
        row = selectors.readable_rollup(
            request.user,
            kpi_id=found["kpi"],
            period_id=found["period"],
            level=found["level"],
            unit_id=found["unit"],
        )
        if row is None:
            raise Http404
        return self._explained(row)

    def _explained(self, row):
        explanation = explain(row, self.request.user)
        context = self.get_serializer_context()
        return Response(serializers.ExplanationSerializer(explanation, context=context).data)


class RollupRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Full recomputes (administrators): POST starts one; GET shows its progress."""

    serializer_class = serializers.RollupRunSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if not is_admin(self.request.user):
            return RollupRun.objects.none()
        return RollupRun.objects.all()

    def get_object(self):
        return run_progress(super().get_object())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = serializers.RollupRunSerializer(runs_progress(list(page)), many=True).data
        return self.get_paginated_response(data)

    @extend_schema(request=None)
    def create(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only administrators start a full recompute.")
        run = run_start(user=request.user)
        run.refresh_from_db()
        data = serializers.RollupRunSerializer(run_progress(run)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)
