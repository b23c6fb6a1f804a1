"""Every role against /api/v1/surveys/, /survey-rounds/, /survey-responses/ and
/survey-results/: anonymous users 401, signed-in users their scope (out of scope: 404), BSO
staff and administrators write; lists in a bounded number of queries."""

import io

import pytest
from django.urls import reverse

from surveys.models import Response
from tests.surveys.helpers import answer, firms_of, make_round, make_survey

pytestmark = pytest.mark.django_db
ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def rounds(world):
    shared = make_survey()
    own = make_survey("outside-survey", cluster=world.outside)
    inside = make_round(shared, world.inside)
    outside = make_round(shared, world.outside)
    answer(inside, [(f, {"exports": "yes"}) for f in firms_of(world.inside, 3)])
    answer(outside, [(f, {"exports": "no"}) for f in firms_of(world.outside, 3)])
    return {"shared": shared, "own": own, "inside": inside, "outside": outside}


def _login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


def _ids(client, name):
    return {row["id"] for row in client.get(reverse(f"api:{name}-list")).json()["results"]}


@pytest.mark.parametrize("name", ["survey", "surveyround", "surveyresponse", "surveyresult"])
def test_anonymous_users_read_nothing(api_client, rounds, name):
    assert api_client.get(reverse(f"api:{name}-list")).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_the_users_scope_and_the_rest_answers_404(api_client, world, rounds, role):
    client = _login(api_client, world, role)
    inside, outside = rounds["inside"], rounds["outside"]
    every = role == "admin"
    inside_responses = set(inside.responses.values_list("pk", flat=True))
    outside_responses = set(outside.responses.values_list("pk", flat=True))

    assert _ids(client, "surveyround") == ({inside.pk, outside.pk} if every else {inside.pk})
    assert _ids(client, "surveyresponse") == (
        inside_responses | outside_responses if every else inside_responses
    )
    assert _ids(client, "survey") == (
        {rounds["shared"].pk, rounds["own"].pk} if every else {rounds["shared"].pk}
    )
    expected = 200 if every else 404
    for name, pk in [
        ("surveyround", outside.pk),
        ("surveyresult", outside.pk),
        ("surveyresponse", min(outside_responses)),
        ("survey", rounds["own"].pk),
    ]:
        assert client.get(reverse(f"api:{name}-detail", args=[pk])).status_code == expected
    assert client.get(reverse("api:surveyresult-detail", args=[inside.pk])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_bso_staff_and_admins_record_responses_in_scope(api_client, world, rounds, role):
    client = _login(api_client, world, role)
    firm = firms_of(world.inside, 1)[0]
    body = {
        "round": rounds["inside"].pk,
        "firm": firm.pk,
        "answers": {"exports": True, "satisfaction": 4},
    }

    created = client.post(reverse("api:surveyresponse-list"), body, format="json")

    if role in ("bso_staff", "admin"):
        assert created.status_code == 201, created.json()
        assert created.json()["answers"] == {"exports": True, "satisfaction": 4}
        assert created.json()["respondent"] == f"firm_{firm.pk}"
    else:
        assert created.status_code == 403


def test_a_response_to_a_round_outside_the_scope_answers_404(api_client, world, rounds):
    client = _login(api_client, world, "bso_staff")
    firm = firms_of(world.inside, 1)[0]
    body = {"round": rounds["outside"].pk, "firm": firm.pk, "answers": {"exports": "yes"}}

    assert client.post(reverse("api:surveyresponse-list"), body, format="json").status_code == 404
    assert not Response.objects.filter(firm=firm).exists()


def test_a_wrong_answer_is_said_at_its_question(api_client, world, rounds):
    client = _login(api_client, world, "bso_staff")
    firm = firms_of(world.inside, 1)[0]
    body = {"round": rounds["inside"].pk, "firm": firm.pk, "answers": {"satisfaction": 7}}

    answer = client.post(reverse("api:surveyresponse-list"), body, format="json")

    assert answer.status_code == 400
    assert answer.json() == {"satisfaction": ["A rating from 1 to 5."]}


def test_the_xlsform_downloads_and_uploads_as_a_new_version(api_client, world, rounds):
    client = _login(api_client, world, "admin")
    survey = rounds["shared"]
    url = reverse("api:survey-xlsform", args=[survey.pk])

    download = client.get(url, {"round": rounds["inside"].pk})
    upload = io.BytesIO(download.content)
    upload.name = "form.xlsx"
    created = client.post(url, {"file": upload}, format="multipart")

    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert created.status_code == 201, created.json()
    assert created.json()["draft_version"] == 2
    versions = created.json()["versions"]
    assert [q["name"] for q in versions[0]["questions"]] == [
        q["name"] for q in versions[1]["questions"]
    ]


def test_bso_staff_cannot_change_a_shared_survey(api_client, world, rounds):
    client = _login(api_client, world, "bso_staff")
    url = reverse("api:survey-xlsform", args=[rounds["shared"].pk])
    upload = io.BytesIO(b"x")
    upload.name = "form.xlsx"

    assert client.post(url, {"file": upload}, format="multipart").status_code == 403


def test_the_responses_list_costs_a_bounded_number_of_queries(
    api_client, world, rounds, django_assert_max_num_queries
):
    more = firms_of(world.inside, 30)
    answer(
        make_round(rounds["shared"], world.inside, title="second"),
        [
            (f, {"exports": "yes", "services": "training", "partners": f"firm_{more[0].pk}"})
            for f in more
        ],
    )
    client = _login(api_client, world, "bso_staff")

    with django_assert_max_num_queries(12):
        body = client.get(reverse("api:surveyresponse-list"), {"page_size": 100}).json()

    assert body["count"] == 33


def test_the_results_cost_a_bounded_number_of_queries(
    api_client, world, rounds, django_assert_max_num_queries
):
    answer(
        rounds["inside"],
        [(f, {"exports": "no", "satisfaction": 3}) for f in firms_of(world.inside, 30)],
    )
    client = _login(api_client, world, "bso_staff")

    with django_assert_max_num_queries(12):
        body = client.get(reverse("api:surveyresult-detail", args=[rounds["inside"].pk])).json()

    assert body["questions"][0]["total"]["answered"] == 33


def test_a_round_id_that_is_not_a_number_answers_404(api_client, world):
    """Not a 500 (the schema fuzz found `/survey-results/m/`)."""
    api_client.force_authenticate(world.users["admin"])
    assert api_client.get("/api/v1/survey-results/m/").status_code == 404
