"""API views for rolled-up values (cursor pages, explanations) and full recompute runs."""

import django_filters
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as InvalidQuery
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.filters import ScopedFilterBackend
from accounts.scopes import is_admin, scope_rollups
from core.errors import PermissionDenied
from core.pagination import CursorPages, ListCursorPages
from monitoring.api.scoped import ScopedListCache
from monitoring.api.serializers import rollups as serializers
from monitoring.models import Rollup, RollupRun
from monitoring.rollups import selectors
from monitoring.rollups.explain import explain
from monitoring.rollups.figures import StaleIndex
from monitoring.rollups.runs import run_progress, run_start, runs_progress
from scorecards.models import Level


class RollupPagination(CursorPages):
    """Cursor pages: the rollup table is large, and a page-number COUNT(*) would cost."""

    ordering = "id"
    page_size = 100
    max_page_size = 1000


class ClusterRollupPagination(ListCursorPages):
    """Cluster rows (prepared apart, in ClusterRollup): the same cursor and envelope as the
    totals."""

    page_size = RollupPagination.page_size
    max_page_size = RollupPagination.max_page_size


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
    data version too); cluster rows carry the `computed_at` of the engine's run that prepared
    them, like the totals."""

    serializer_class = serializers.RollupSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = RollupPagination
    filterset_class = RollupFilter
    filter_backends = [ScopedFilterBackend]

    def get_queryset(self):
        return scope_rollups(selectors.rollup_api_list(), self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "stale_index": StaleIndex()}

    def paginate_queryset(self, queryset):
        """A page of rows, each with its KPI's splits beside it (at most three queries)."""
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.rows_with_splits(list(page))

    def uncached_list(self, request, *args, **kwargs):
        if request.query_params.get("level") != Level.CLUSTER:
            return super().uncached_list(request, *args, **kwargs)
        return self._cluster_list(request)

    def _cluster_list(self, request):
        """Cluster rows (prepared in ClusterRollup, read without an id): one period or one
        cluster at a time, in cursor pages like the totals."""
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
        page = selectors.rows_with_splits(
            list(paginator.paginate_queryset(rows, request, view=self))
        )
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
        the cluster level included (its rows have no id of their own)."""
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

    @extend_schema(request=None, responses={202: serializers.RollupRunSerializer})
    def create(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only administrators start a full recompute.")
        run = run_start(user=request.user)
        run.refresh_from_db()
        data = serializers.RollupRunSerializer(run_progress(run)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)
