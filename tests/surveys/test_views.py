"""The surveys' pages through the Django test client: what each shows, writes going through
the services, scope (outside: 404) and bounded queries."""

import io

import pytest
from django.urls import reverse

from surveys.models import Question, Response, SurveyVersion
from surveys.services import survey_create
from tests.surveys.helpers import answer, firms_of, make_round, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def bso(client, world):
    client.force_login(world.users["bso_staff"])
    return client


def test_the_survey_and_round_pages_show_what_is_in_scope(bso, world):
    survey = make_survey()
    inside = make_round(survey, world.inside, title="Inside round")
    outside = make_round(survey, world.outside, title="Outside round")

    listing = bso.get(reverse("survey-list")).content.decode()
    detail = bso.get(reverse("survey-detail", args=[survey.pk])).content.decode()

    assert "Firm survey" in listing and "Inside round" in listing and "Outside round" not in listing
    assert "Do you export?" in detail
    assert bso.get(reverse("round-detail", args=[inside.pk])).status_code == 200
    for name in ("round-detail", "round-results", "response-new", "response-import"):
        assert bso.get(reverse(name, args=[outside.pk])).status_code == 404


def test_a_response_entered_on_the_page_is_saved(bso, world):
    round_ = make_round(make_survey(), world.inside)
    firm, partner = firms_of(world.inside, 2)
    url = reverse("response-new", args=[round_.pk])

    page = bso.get(url).content.decode()
    saved = bso.post(
        url,
        {
            "respondent": f"firm_{firm.pk}",
            "sex": "female",
            "answered_on": "2025-03-05",
            "q_exports": "yes",
            "q_satisfaction": "4",
            "q_services": ["training", "credit"],
            "q_partners": [f"firm_{partner.pk}"],
            "q_employees": "12",
        },
    )

    assert f'value="firm_{firm.pk}"' in page and 'name="q_satisfaction"' in page
    assert saved.status_code == 302
    response = Response.objects.get(firm=firm)
    assert response.answers.get(question__name="services").choices == ["training", "credit"]
    assert response.answers.get(question__name="employees").number == 12


def test_a_wrong_answer_comes_back_at_its_input(bso, world):
    round_ = make_round(make_survey(), world.inside)
    firm = firms_of(world.inside, 1)[0]
    version = round_.version
    version.status = SurveyVersion.Status.DRAFT
    version.save()
    Question.objects.filter(version=version, name="exports").update(required=True)

    page = bso.post(
        reverse("response-new", args=[round_.pk]),
        {"respondent": f"firm_{firm.pk}", "answered_on": "2025-03-05"},
    )

    assert page.status_code == 400
    assert "This question must be answered." in page.content.decode()
    assert not Response.objects.exists()


def test_the_csv_import_page_saves_nothing_when_a_row_is_wrong(bso, world):
    round_ = make_round(make_survey(), world.inside)
    firm = firms_of(world.inside, 1)[0]
    upload = io.BytesIO(
        f"cb_respondent,exports\nfirm_{firm.pk},yes\nfirm_{firm.pk},perhaps\n".encode()
    )
    upload.name = "export.csv"

    page = bso.post(reverse("response-import", args=[round_.pk]), {"file": upload})

    assert page.status_code == 400
    assert "Row 3, exports: Answer yes or no." in page.content.decode()
    assert not Response.objects.exists()


def test_bso_staff_build_a_questionnaire_and_publish_it(bso, world):
    survey = survey_create(data={"code": "wine", "titles": {"en": "Wine"}, "cluster": world.inside})

    added = bso.post(
        reverse("survey-question-new", args=[survey.pk, 1]),
        {
            "name": "grapes",
            "kind": "one_of",
            "label_en": "Main grape",
            "label_es": "Uva principal",
            "choices": "malbec | Malbec\nbonarda | Bonarda | Bonarda",
        },
    )
    published = bso.post(reverse("survey-version-publish", args=[survey.pk, 1]))

    assert added.status_code == 302 and published.status_code == 302
    question = Question.objects.get(version__survey=survey)
    assert question.labels == {"en": "Main grape", "es": "Uva principal"}
    assert [c.name for c in question.choices.all()] == ["malbec", "bonarda"]
    assert survey.versions.get().status == SurveyVersion.Status.PUBLISHED
    again = bso.get(reverse("survey-question-new", args=[survey.pk, 1]))
    assert again.status_code == 403  # a published version does not change


def test_bso_staff_do_not_change_a_shared_survey(bso, world):
    survey = make_survey()

    assert bso.post(reverse("survey-version-new", args=[survey.pk])).status_code == 403
    assert bso.get(reverse("survey-version-import", args=[survey.pk])).status_code == 403


def test_the_xlsform_download_of_a_round_offers_its_firms(bso, world):
    round_ = make_round(make_survey(), world.inside)
    firm = firms_of(world.inside, 1)[0]

    download = bso.get(
        reverse("survey-xlsform", args=[round_.version.survey_id]), {"round": round_.pk}
    )

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(download.content))
    names = [row[1] for row in book["choices"].iter_rows(min_row=2, values_only=True)]
    assert f"firm_{firm.pk}" in names


def test_the_response_page_links_the_same_firm_in_other_rounds(bso, world):
    survey = make_survey()
    first = make_round(survey, world.inside, title="Baseline 2025")
    second = make_round(survey, world.inside, title="Follow-up 2026")
    firm = firms_of(world.inside, 1)[0]
    (before,) = answer(first, [(firm, {"exports": "no"})])
    answer(second, [(firm, {"exports": "yes"})])

    page = bso.get(reverse("response-detail", args=[before.pk])).content.decode()

    assert "Baseline 2025" in page and "Follow-up 2026" in page


def test_round_and_results_pages_cost_bounded_queries(bso, world, django_assert_max_num_queries):
    round_ = make_round(make_survey(), world.inside)
    firms = firms_of(world.inside, 40, size_class="small")
    answer(
        round_,
        [(f, {"exports": "yes", "satisfaction": 4, "services": "fairs"}, "male") for f in firms],
    )

    with django_assert_max_num_queries(15):
        assert bso.get(reverse("round-detail", args=[round_.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        results = bso.get(reverse("round-results", args=[round_.pk]))
    with django_assert_max_num_queries(15):
        assert bso.get(reverse("survey-list")).status_code == 200
    assert "40 of 40, 100.0%" in results.content.decode()
