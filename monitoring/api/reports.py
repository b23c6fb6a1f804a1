"""API views for reports: open, fill, submit, review; and their individual values."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scopes import clusters_in_scope, scope_reports
from monitoring.api.scoped import ScopedListCache
from monitoring.api.serializers import reports as serializers
from monitoring.models import ReportTransition
from monitoring.reports import checks, comments, selectors, services
from monitoring.reports.scores import scorecard_visible_to
from scorecards.models import Period


class ReportViewSet(ScopedListCache, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """One cluster's values for one period. POST opens (or returns) the report of a cluster
    and period; `values` records several values at once; the review actions move it.

    The list is newest first by default: ordering by the period and the cluster's name would
    sort the whole table (joined) for every page."""

    may_conflict = True  # `values` with an older revision: 409 (core.api_schema)
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

    def _move(self, request, action_name, params_class=serializers.CommentSerializer):
        params = params_class(data=request.data)
        params.is_valid(raise_exception=True)
        report = services.report_transition(
            report=self.get_object(),
            action=action_name,
            user=request.user,
            comment=params.validated_data.get("comment", ""),
            values=params.validated_data.get("values", ()),
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

    @extend_schema(request=serializers.ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send a submitted report back to the cluster (a comment is required); `values` names
        the values it is about, and the comment opens a thread on each."""
        return self._move(request, ReportTransition.Action.RETURN, serializers.ReturnSerializer)

    @extend_schema(request=serializers.ReturnSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen an approved report for correction (a reason is required); `values` as for a
        return."""
        return self._move(request, ReportTransition.Action.REOPEN, serializers.ReturnSerializer)


class MeasurementViewSet(ScopedListCache, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """KPI values of the reports in scope. PATCH one with the `revision` you loaded.

    Listed by report and KPI ids (the unique index of the table), not by the models' default
    ordering, which sorts every value of the table across reports, periods, clusters and KPIs
    for each page."""

    may_conflict = True  # a change with an older revision: 409 (core.api_schema)
    serializer_class = serializers.MeasurementSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["report", "kpi", "report__cluster", "report__period", "report__state"]
    ordering = ["report_id", "kpi_id"]
    http_method_names = ["get", "post", "patch", "head", "options"]  # post: explain

    def get_queryset(self):
        return scope_reports(selectors.measurement_list(), self.request.user, prefix="report__")

    @extend_schema(
        request=serializers.MeasurementInputSerializer,
        description=(
            "Change one value. Send only the fields you change: the others keep what is stored "
            "when the change is written (read under the value's lock), so two clients changing "
            "different fields both keep their change. Send the `revision` you loaded to refuse "
            "the change (409) when someone saved since; without it, the fields you send win."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        measurement = self.get_object()
        params = serializers.MeasurementInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        # Only the fields sent: the service fills the others from the row once it holds its
        # lock (filled from `measurement` here, a concurrent change would be written back).
        raw = dict(params.validated_data)
        try:
            services.report_record_values(
                report=measurement.report,
                rows={measurement.kpi_id: raw},
                user=request.user,
                merge=True,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the report (e.g. approved), not a field
                raise
            prefix = f"{measurement.kpi_id}."
            raise ValidationError(
                {k.removeprefix(prefix): v for k, v in error.message_dict.items()}
            ) from None
        return Response(self.get_serializer(self._fresh(measurement)).data)

    def _fresh(self, measurement):
        return selectors.measurement_list().get(pk=measurement.pk)

    @extend_schema(
        request=serializers.ExplainInputSerializer, responses=serializers.MeasurementSerializer
    )
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        """Explain one of the value's flags (BSO staff, while the report is a draft or
        returned): a report is submitted only once every flag carries an explanation."""
        measurement = self.get_object()
        params = serializers.ExplainInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        checks.flag_explain(measurement=measurement, user=request.user, **params.validated_data)
        return Response(self.get_serializer(self._fresh(measurement)).data)

    @extend_schema(methods=["GET"], responses=serializers.ValueCommentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=serializers.ValueCommentInputSerializer,
        responses={201: serializers.ValueCommentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The value's comment thread, oldest first, in pages (whoever reads the value reads
        it); POST adds a comment (BSO staff and reviewers of the cluster), and the other side
        is notified."""
        measurement = self.get_object()
        if request.method == "POST":
            params = serializers.ValueCommentInputSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            comment = comments.comment_post(
                measurement=measurement, user=request.user, **params.validated_data
            )
            comment = selectors.comment_thread().get(pk=comment.pk)
            data = serializers.ValueCommentSerializer(comment).data
            return Response(data, status=status.HTTP_201_CREATED)
        thread = self.paginate_queryset(selectors.comment_thread().filter(measurement=measurement))
        data = serializers.ValueCommentSerializer(thread, many=True).data
        return self.get_paginated_response(data)


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
