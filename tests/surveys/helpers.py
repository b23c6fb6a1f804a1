"""A survey with one question of each kind, rounds of it, and responses, for the surveys'
tests."""

import datetime

from surveys.models import Question, Round, Survey
from surveys.services import (
    ResponseInput,
    question_save,
    responses_create,
    round_create,
    survey_create,
    version_publish,
)
from tests.factories import MembershipFactory

QUESTIONS = [
    {
        "name": "exports",
        "kind": Question.Kind.YES_NO,
        "labels": {"en": "Do you export?", "es": "¿Exporta?"},
    },
    {
        "name": "satisfaction",
        "kind": Question.Kind.RATING,
        "labels": {"en": "How useful is the cluster?", "es": "¿Qué tan útil es el clúster?"},
        "section": "usefulness",
    },
    {
        "name": "channel",
        "kind": Question.Kind.ONE_OF,
        "labels": {"en": "Main channel"},
        "choices": [
            {"name": "local", "labels": {"en": "Local", "es": "Local"}},
            {"name": "abroad", "labels": {"en": "Abroad", "es": "Exterior"}},
        ],
    },
    {
        "name": "services",
        "kind": Question.Kind.SEVERAL_OF,
        "labels": {"en": "Services used"},
        "choices": [
            {"name": "training", "labels": {"en": "Training"}},
            {"name": "fairs", "labels": {"en": "Trade fairs"}},
            {"name": "credit", "labels": {"en": "Credit"}},
        ],
    },
    {"name": "employees", "kind": Question.Kind.INTEGER, "labels": {"en": "Employees"}},
    {"name": "share", "kind": Question.Kind.DECIMAL, "labels": {"en": "Export share"}},
    {"name": "comment", "kind": Question.Kind.TEXT, "labels": {"en": "Comment"}},
    {
        "name": "partners",
        "kind": Question.Kind.COOPERATION,
        "labels": {"en": "Who do you cooperate with?"},
    },
]


def make_survey(code: str = "firm-survey", cluster=None) -> Survey:
    survey = survey_create(data={"code": code, "titles": {"en": "Firm survey"}, "cluster": cluster})
    version = survey.versions.get()
    version.sections = {"usefulness": {"en": "Usefulness", "es": "Utilidad"}}
    version.save()
    for item in QUESTIONS:
        data = {k: v for k, v in item.items() if k != "choices"}
        question_save(version=version, data=data, choices=item.get("choices", ()))
    version_publish(version=version)
    return survey


def make_round(
    survey: Survey, cluster, *, title="2025 round", starts=datetime.date(2025, 3, 1)
) -> Round:
    return round_create(
        data={
            "version": survey.versions.get(number=1),
            "title": title,
            "cluster": cluster,
            "audience": Round.Audience.CLUSTER_FIRMS,
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=30),
        }
    )


def firms_of(cluster, n: int, **firm):
    return [
        MembershipFactory(cluster=cluster, **{f"firm__{k}": v for k, v in firm.items()}).firm
        for _ in range(n)
    ]


def answer(round_, firms_and_answers, **common):
    """Record responses: each (firm, answers dict[, sex]) as one."""
    items = []
    for row in firms_and_answers:
        firm, answers = row[0], row[1]
        sex = row[2] if len(row) > 2 else ""
        items.append(ResponseInput(answers=answers, firm=firm, sex=sex, **common))
    saved, errors = responses_create(round_=round_, items=items, source="page")
    assert not errors, errors
    return saved
