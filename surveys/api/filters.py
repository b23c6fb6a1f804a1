"""Explicit filters of the surveys' API."""

import django_filters

from core.filters import IntegerFilter
from surveys.models import Response, Round, Survey


class SurveyFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(choices=Survey.Kind.choices)
    cluster = IntegerFilter(field_name="cluster_id")

    class Meta:
        model = Survey
        fields = ["code", "kind", "cluster"]


class RoundFilter(django_filters.FilterSet):
    survey = IntegerFilter(field_name="version__survey_id")
    cluster = IntegerFilter(field_name="cluster_id")
    audience = django_filters.ChoiceFilter(choices=Round.Audience.choices)

    class Meta:
        model = Round
        fields = ["survey", "cluster", "audience"]


class ResponseFilter(django_filters.FilterSet):
    round = IntegerFilter(field_name="round_id")
    survey = IntegerFilter(field_name="round__version__survey_id")
    cluster = IntegerFilter(field_name="cluster_id")
    firm = IntegerFilter(
        field_name="firm_id", label="Firm id (the panel: its answers in every round)"
    )
    bso = IntegerFilter(field_name="bso_id")

    class Meta:
        model = Response
        fields = ["round", "survey", "cluster", "firm", "bso"]
