"""Serializers of surveys (explicit fields; relations scoped to the user)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.scoped_relations import ScopedRelationsMixin, firms_in_scope
from accounts.scopes import bsos_in_scope
from bsos.models import BSO
from clusters.models import Cluster
from firms.models import Firm
from surveys.models import Choice, Question, Response, Round, Survey, SurveyVersion
from surveys.selectors import rounds_in_scope, surveys_in_scope


def _surveys_in_scope(queryset, serializer):
    return queryset.filter(
        survey__in=surveys_in_scope(serializer.context["request"].user).values("pk")
    )


def _rounds_in_scope(queryset, serializer):
    return queryset.filter(pk__in=rounds_in_scope(serializer.context["request"].user).values("pk"))


def _bsos_in_scope(queryset, serializer):
    return queryset.filter(pk__in=bsos_in_scope(serializer.context["request"].user).values("pk"))


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["name", "labels"]


class QuestionSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "name",
            "kind",
            "labels",
            "hints",
            "required",
            "section",
            "choices",
        ]


class VersionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyVersion
        fields = ["id", "number", "status", "sections", "questions"]


class SurveySerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A questionnaire with its versions (newest first) and their questions. Write `code`,
    `titles` ({"en": ..., "es": ...}), `kind` and `cluster` (empty: shared, administrators only);
    questions come from the pages or an XLSForm (`POST .../xlsform/`)."""

    scoped_relations = {"cluster": "pk"}
    title = serializers.CharField(read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "code", "title", "titles", "kind", "cluster", "versions", "created_at"]
        read_only_fields = ["id", "created_at"]


class XLSFormUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An XLSForm (.xlsx or .xls)."))


class RoundSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A round: a published version of a survey run over a span of dates for a set of
    respondents, of one cluster (or of none: administrators)."""

    scoped_relations = {"cluster": "pk", "version": _surveys_in_scope}
    survey = serializers.IntegerField(source="version.survey_id", read_only=True)
    responses_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "survey",
            "version",
            "title",
            "cluster",
            "audience",
            "starts_on",
            "ends_on",
            "responses_count",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("version", "cluster", "audience"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: _("A round keeps its %s.") % name})
        return attrs


class AnswersField(serializers.JSONField):
    """Answers by question name: text, a number, true/false, a choice's name, a list of names;
    a cooperation answer lists "firm_<id>" / "bso_<id>"."""


class ResponseSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """One respondent's answers in a round. The respondent: `firm` or `bso` (registry ids: the
    panel links their answers across rounds) or a `person`'s name; `cluster` only for a round of
    several clusters."""

    scoped_relations = {
        "round": _rounds_in_scope,
        "cluster": "pk",
        "firm": firms_in_scope,
        "bso": _bsos_in_scope,
    }
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all(), required=False)
    firm = serializers.PrimaryKeyRelatedField(
        queryset=Firm.objects.all(), required=False, allow_null=True
    )
    bso = serializers.PrimaryKeyRelatedField(
        queryset=BSO.objects.all(), required=False, allow_null=True
    )
    respondent = serializers.CharField(source="registry_key", read_only=True)
    answers = AnswersField(required=False)

    class Meta:
        model = Response
        fields = [
            "id",
            "round",
            "cluster",
            "firm",
            "bso",
            "person",
            "respondent",
            "sex",
            "answered_on",
            "source",
            "external_id",
            "answers",
            "created_at",
        ]
        read_only_fields = ["id", "source", "created_at"]
        extra_kwargs = {"answered_on": {"required": False}}
        validators = []  # the constraints are checked by the service (surveys.services)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["answers"] = {a.question.name: answer_value(a) for a in instance.answers.all()}
        return data


def answer_value(answer) -> object:
    kind = answer.question.kind
    Kind = Question.Kind
    if kind in (Kind.TEXT, Kind.ONE_OF):
        return answer.text
    if kind in (Kind.SEVERAL_OF, Kind.COOPERATION):
        return list(answer.choices)
    if kind == Kind.YES_NO:
        return answer.number == 1
    if kind == Kind.DECIMAL:
        return str(answer.number.normalize()) if answer.number is not None else None
    return int(answer.number) if answer.number is not None else None


def _percent(count: int, answered: int) -> str | None:
    if not answered:
        return None
    value = Decimal(count) * 100 / Decimal(answered)
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def summary_data(summary) -> dict:
    """A group's figures; a hidden group (under 3 answering) gives its size and no figure."""
    data = {"group": summary.label, "answered": summary.answered, "hidden": summary.hidden}
    if summary.hidden:
        return data
    data["yes"] = summary.yes
    data["yes_percent"] = None if summary.yes is None else _percent(summary.yes, summary.answered)
    data["mean"] = None if summary.mean is None else str(summary.mean)
    data["counts"] = [
        {
            "name": c.name,
            "label": c.label,
            "count": c.count,
            "percent": _percent(c.count, c.answered),
        }
        for c in summary.counts
    ]
    return data


def results_data(round_, results) -> dict:
    """A round's results as the API gives them (percent fields 0-100, 2 places)."""
    return {
        "round": round_.pk,
        "title": round_.title,
        "questions": [
            {
                "name": r.question.name,
                "label": r.question.label,
                "kind": r.question.kind,
                "respondents": r.respondents,
                "total": summary_data(r.total),
                "breakdowns": {
                    key: [summary_data(s) for s in groups] for key, _h, groups in r.breakdowns
                },
            }
            for r in results
        ],
    }


class RoundResultsSerializer(serializers.Serializer):
    """Documents the results' shape (the view builds it with results_data)."""

    round = serializers.IntegerField()
    title = serializers.CharField()
    questions = serializers.ListField(child=serializers.DictField())
