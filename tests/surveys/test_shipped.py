"""The two shipped questionnaires, and a self-assessment's scores per dimension compared over
rounds and with the clusters answering (the small-group rule)."""

import datetime

import pytest
from django.urls import reverse

from surveys.models import Question, Round, Survey
from surveys.selectors import dimension_scores
from surveys.services import ResponseInput, responses_create, round_create, version_new
from surveys.shipped import shipped_surveys_install
from tests.factories import BSOFactory, ClusterFactory

pytestmark = pytest.mark.django_db


def test_both_questionnaires_are_installed_once_in_three_languages(world):
    first = shipped_surveys_install()
    again = shipped_surveys_install()

    assert [s.pk for s in first] == [s.pk for s in again] and Survey.objects.count() == 2
    assessment, training = first
    for survey in first:
        for question in survey.versions.get().questions.all():
            assert set(question.labels) == {"en", "es", "pt"}, question.name
    sections = {q.section for q in assessment.versions.get().questions.all()}
    assert sections == {"governance", "strategy", "services", "financing", "results"}
    kinds = {q.name: q.kind for q in training.versions.get().questions.all()}
    assert kinds["capacity_collaboration"] == Question.Kind.RATING
    assert kinds["organisation_type"] == Question.Kind.ONE_OF
    assert training.title == "Training participant survey"


def test_a_shipped_questionnaire_is_edited_as_a_new_version(world):
    assessment = shipped_surveys_install()[0]

    draft = version_new(survey=assessment)

    assert (draft.number, draft.is_draft) == (2, True)
    assert draft.questions.count() == assessment.versions.get(number=1).questions.count()


def _assess(round_, cluster, bso, ratings: dict[str, int]):
    _saved, errors = responses_create(
        round_=round_,
        items=[ResponseInput(answers=ratings, bso=bso, cluster=cluster)],
        source="page",
    )
    assert not errors, errors


ALL_FOURS = {
    "gov_board": 4, "gov_decisions": 4, "strat_plan": 4, "strat_review": 4, "serv_offer": 4,
    "serv_projects": 4, "fin_members": 4, "fin_sources": 4, "res_monitoring": 4,
    "res_reporting": 4,
}  # fmt: skip


def _round(version, title, day):
    return round_create(
        data={
            "version": version,
            "title": title,
            "cluster": None,
            "audience": Round.Audience.ORGANISATIONS,
            "starts_on": day,
            "ends_on": day + datetime.timedelta(days=20),
        }
    )


def test_scores_per_dimension_over_rounds_with_the_peer_mean_hidden_under_three(world):
    assessment = shipped_surveys_install()[0]
    version = assessment.versions.get()
    first = _round(version, "2025", datetime.date(2025, 2, 1))
    second = _round(version, "2026", datetime.date(2026, 2, 1))
    third = ClusterFactory(country=world.argentina)
    # 2025: inside rates governance 5 and 3 (mean 4.00), the rest 4; two peers -> 2 clusters
    _assess(first, world.inside, world.bso, {**ALL_FOURS, "gov_board": 5, "gov_decisions": 3})
    _assess(
        first, world.outside, world.other_bso, {**ALL_FOURS, "gov_board": 1, "gov_decisions": 1}
    )
    # 2026: three clusters answer: governance 5, 1 and 3 -> peer mean (5 + 1 + 3) / 3 = 3.00
    _assess(second, world.inside, world.bso, {**ALL_FOURS, "gov_board": 5, "gov_decisions": 5})
    _assess(
        second, world.outside, world.other_bso, {**ALL_FOURS, "gov_board": 1, "gov_decisions": 1}
    )
    _assess(second, third, BSOFactory(), {**ALL_FOURS, "gov_board": 3, "gov_decisions": 3})

    columns, rows = dimension_scores(assessment, world.users["bso_staff"])
    table = [
        (r.round.title, r.label, r.hidden, [str(v) if v else None for v in r.values]) for r in rows
    ]

    assert [name for name, _label in columns][:1] == ["governance"]
    assert table == [
        ("2025", "Mendoza wine", False, ["4.00", "4.00", "4.00", "4.00", "4.00"]),
        ("2025", "All clusters answering", True, [None] * 5),  # 2 clusters: hidden
        ("2026", "Mendoza wine", False, ["5.00", "4.00", "4.00", "4.00", "4.00"]),
        ("2026", "All clusters answering", False, ["3.00", "4.00", "4.00", "4.00", "4.00"]),
    ]


def test_the_scores_page_shows_the_same_table(client, world):
    assessment = shipped_surveys_install()[0]
    round_ = _round(assessment.versions.get(), "2025", datetime.date(2025, 2, 1))
    _assess(round_, world.inside, world.bso, ALL_FOURS)
    client.force_login(world.users["bso_staff"])

    page = client.get(reverse("survey-scores", args=[assessment.pk])).content.decode()

    assert "Governance" in page and "Mendoza wine" in page and "data-hidden" in page
