"""API views of surveys: signed-in users read the surveys, rounds and responses of their scope
(surveys.selectors), BSO staff (their clusters') and administrators write; out of scope answers
404. Results leave as aggregates only, with the small-group rule."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as APIResponse

from accounts.permissions import ScopedReadFieldWrite
from accounts.scopes import is_admin
from core.api import ServiceModelViewSet
from surveys import selectors, services
from surveys.api import filters, serializers
from surveys.downloads import XLSX, xlsform_download
from surveys.models import Response, Survey
from surveys.xlsform import XLSFormRefused, xlsform_read


def _refuse_cluster(user, cluster) -> None:
    if cluster is None and not is_admin(user):
        raise PermissionDenied(_("Only administrators write what belongs to no cluster."))


class SurveyViewSet(ServiceModelViewSet):
    """Questionnaires of the user's scope (shared ones and those of their clusters), each with
    its versions and questions. Filters: `code`, `kind`, `cluster`. `GET .../{id}/xlsform/`
    downloads a version as an XLSForm (`?version=` its number, the latest by default; `?round=`
    fills the respondent and cooperation choices from a round's cluster); `POST .../{id}/xlsform/`
    (multipart `file`) makes a new draft version from an XLSForm; `POST .../xlsform/` a new
    survey."""

    serializer_class = serializers.SurveySerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_class = filters.SurveyFilter
    ordering_fields = ["code", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.surveys_in_scope(self.request.user).prefetch_related(
            "versions__questions__choices"
        )

    def get_serializer_class(self):
        if self.action in ("xlsform", "xlsform_new") and self.request.method == "POST":
            return serializers.XLSFormUploadSerializer
        return serializers.SurveySerializer

    def create_object(self, data):
        _refuse_cluster(self.request.user, data.get("cluster"))
        return services.survey_create(data=data)

    def update_object(self, instance, data):
        self._check_writer(instance)
        return services.survey_update(survey=instance, data=data)

    def _check_writer(self, survey):
        if not selectors.may_write_survey(self.request.user, survey):
            raise PermissionDenied(_("Only administrators change the shared surveys."))

    def _read(self, request):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            return xlsform_read(upload.validated_data["file"])
        except XLSFormRefused as refusal:
            raise ValidationError({"file": [str(refusal)]}) from None

    def _answer(self, version, read, status=200):
        survey = Survey.objects.prefetch_related("versions__questions__choices").get(
            pk=version.survey_id
        )
        data = serializers.SurveySerializer(survey, context={"request": self.request}).data
        return APIResponse(
            {**data, "draft_version": version.number, "warnings": read.warnings}, status=status
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="A version's number (latest by default)"),
            OpenApiParameter("round", int, description="A round whose choices to fill"),
        ],
        request=serializers.XLSFormUploadSerializer,
        responses={(200, XLSX): bytes, 201: serializers.SurveySerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def xlsform(self, request, pk=None):
        """GET: the XLSForm of a version. POST (`file`): a new draft version from an XLSForm."""
        survey = self.get_object()
        if request.method == "POST":
            self._check_writer(survey)
            read = self._read(request)
            version = services.survey_from_xlsform(read=read, survey=survey)
            return self._answer(version, read, status=201)
        content, filename = xlsform_download(
            user=request.user,
            survey=survey,
            version=request.query_params.get("version"),
            round_id=request.query_params.get("round"),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        operation_id="v1_surveys_xlsform_import",
        request=serializers.XLSFormUploadSerializer,
        responses={201: serializers.SurveySerializer},
    )
    @action(detail=False, methods=["post"], url_path="xlsform")
    def xlsform_new(self, request):
        """A new survey (shared: administrators only) from an XLSForm (`file`); its code and
        title are the form's `form_id` and `form_title`."""
        if not is_admin(request.user):
            raise PermissionDenied(_("Only administrators add shared surveys."))
        read = self._read(request)
        version = services.survey_from_xlsform(read=read)
        return self._answer(version, read, status=201)


class SurveyRoundViewSet(ServiceModelViewSet):
    """Rounds of the user's scope. Filters: `survey`, `cluster`, `audience`."""

    serializer_class = serializers.RoundSerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_class = filters.RoundFilter
    ordering_fields = ["starts_on", "ends_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.round_list(self.request.user)

    def create_object(self, data):
        _refuse_cluster(self.request.user, data.get("cluster"))
        return services.round_create(data=data)

    def update_object(self, instance, data):
        if not selectors.may_write_round(self.request.user, instance):
            raise PermissionDenied(_("Only administrators change a round of no cluster."))
        return services.round_update(round_=instance, data=data)


class SurveyResponseViewSet(ServiceModelViewSet):
    """Responses of respondents of the user's clusters, with their answers by question name.
    Filters: `round`, `survey`, `cluster`, `firm`, `bso` (`?survey=&firm=`: the panel, one
    firm's answers in every round)."""

    serializer_class = serializers.ResponseSerializer
    permission_classes = [ScopedReadFieldWrite]
    filterset_class = filters.ResponseFilter
    ordering_fields = ["answered_on", "created_at"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.response_list(self.request.user)

    def create_object(self, data):
        round_ = data.pop("round")
        if not selectors.may_write_round(self.request.user, round_) and not (
            round_.cluster_id is None and data.get("cluster") is not None
        ):
            raise PermissionDenied(_("Only BSO staff of the round's cluster record its responses."))
        item = services.ResponseInput(
            answers=data.get("answers") or {},
            firm=data.get("firm"),
            bso=data.get("bso"),
            person=data.get("person", ""),
            sex=data.get("sex", ""),
            cluster=data.get("cluster"),
            answered_on=data.get("answered_on"),
            external_id=data.get("external_id", ""),
        )
        if not isinstance(item.answers, dict):
            raise ValidationError({"answers": [_("Answers by question name.")]})
        response = services.response_record(
            round_=round_, item=item, source=Response.Source.API, user=self.request.user
        )
        return selectors.response_list(self.request.user).get(pk=response.pk)

    def perform_destroy(self, instance):
        services.response_delete(response=instance)


class SurveyResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Results of the rounds in the user's scope, over the responses in scope: the list names
    the rounds; `/{round id}/` gives each question's counts, shares (`..._percent`, of those who
    answered), means and distributions, and breakdowns by `cluster`, `country`, `sex` and
    `size`; a group under 3 respondents answering is `hidden`, with no figure."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter
    lookup_value_regex = "[0-9]+"  # a round's id: anything else is no route (404), not a 500

    def get_queryset(self):
        return selectors.round_list(self.request.user)

    @extend_schema(responses=serializers.RoundResultsSerializer)
    def retrieve(self, request, pk=None):
        round_ = get_object_or_404(
            selectors.rounds_in_scope(request.user).select_related("version"), pk=pk
        )
        results = selectors.round_results(round_, selectors.responses_in_scope(request.user))
        return APIResponse(serializers.results_data(round_, results))
