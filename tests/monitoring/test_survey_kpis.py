"""KPI values derived from a survey question: the cluster's answers in the latest round of the
question's questionnaire that ended inside the period, blanks out of the denominator, nothing
when fewer than 3 answered; pre-filled on the report page and marked with the survey and
round."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.reports.derived import derived_values
from scorecards.models import KPI, Period
from scorecards.services import periods_generate
from tests.surveys.helpers import answer, firms_of, make_round, make_survey

Source = KPI.LogSource


@pytest.fixture
def q1(db):
    periods_generate(first_year=2025, last_year=2025)
    return Period.objects.get(year=2025, quarter=1)


def survey_round(world, answers):
    """A round of `inside` from 1 to 31 March 2025; `answers` are (exports, satisfaction) per
    firm, None for a blank."""
    survey = make_survey()
    round_ = make_round(survey, world.inside, starts=datetime.date(2025, 3, 1))
    firms = firms_of(world.inside, len(answers))
    rows = []
    for firm, (exports, rating) in zip(firms, answers, strict=True):
        given = {}
        if exports is not None:
            given["exports"] = exports
        if rating is not None:
            given["satisfaction"] = rating
        rows.append((firm, given))
    answer(round_, rows)
    return survey


def kpi(code, question, **fields):
    values = {"name": code, "unit": "percent", "aggregation": "mean", "time_aggregation": "last"}
    return KPI.objects.create(
        code=code, log_source=Source.SURVEY, survey_question=question, **{**values, **fields}
    )


def question(survey, name):
    return survey.versions.get().questions.get(name=name)


def test_share_answering_yes_and_the_mean_rating(world, q1):
    # exports: yes, yes, yes, no, blank -> 3 of 4 answered = 75%; ratings 4, 5, 3, blank, 2 -> 3.5
    survey = survey_round(world, [("yes", 4), ("yes", 5), ("yes", 3), ("no", None), (None, 2)])
    share = kpi("exporters", question(survey, "exports"))
    ratio = kpi("exporters-ratio", question(survey, "exports"), aggregation="ratio")
    mean = kpi("usefulness", question(survey, "satisfaction"), unit="number")

    values = derived_values(world.inside, q1)

    assert values[share.pk]["value"] == Decimal("75.0000")
    assert (values[ratio.pk]["numerator"], values[ratio.pk]["denominator"]) == (3, 4)
    assert values[mean.pk]["value"] == Decimal("3.50")
    assert values[share.pk]["source"] == "derived from survey Firm survey, round 2025 round"


def test_fewer_than_three_answers_derive_nothing(world, q1):
    survey = survey_round(world, [("yes", None), ("no", None), (None, 3)])
    share = kpi("exporters", question(survey, "exports"))
    assert share.pk not in derived_values(world.inside, q1)


def test_a_round_ending_in_another_period_does_not_count(world, q1):
    survey = survey_round(world, [("yes", 1), ("yes", 2), ("yes", 3)])
    share = kpi("exporters", question(survey, "exports"))
    q2 = Period.objects.get(year=2025, quarter=2)
    assert share.pk in derived_values(world.inside, q1)
    assert share.pk not in derived_values(world.inside, q2)


def test_the_report_page_prefills_it_marked_with_the_survey_and_round(thai, client):
    survey = survey_round(thai, [("yes", 1), ("yes", 2), ("no", 3), ("no", 4)])
    KPI.objects.filter(code="thai-returns").update(
        log_source=Source.SURVEY, survey_question=question(survey, "exports")
    )
    chosen = KPI.objects.get(code="thai-returns")
    client.force_login(thai.users["bso_staff"])

    page = client.get(reverse("report-detail", args=[thai.report.pk])).content.decode()

    assert "derived from survey Firm survey, round 2025 round" in page
    assert f'name="kpi-{chosen.pk}-numerator" value="2"' in page
    assert f'name="kpi-{chosen.pk}-denominator" value="4"' in page
