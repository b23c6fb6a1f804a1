"""Every role against /api/v1/calls/ and /api/v1/applications/, inside and outside its scope.

Calls: signed-in users read published calls and the drafts of the programs they write;
officers (their programs) and administrators write. Applications: BSO staff read and write
their BSO's; officers, ministries and regional bodies read those of the programs in their scope;
out of scope answers 404; anonymous users get 401."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Application
from tests.calls.helpers import build_call, eligible, supported_cluster
from tests.factories import UserFactory

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]


@pytest.fixture
def calls(world):
    inside = build_call(world)
    draft_outside = services.call_create(
        data={
            "program": world.other_program,
            "title": "Garments 2026",
            "text": "For garment clusters.",
            "deadline": timezone.now() + datetime.timedelta(days=10),
            "budget": 1000,
        }
    )
    application = services.application_create(
        call=inside.call,
        data=eligible(cluster=supported_cluster(world, "Maipú")),
        user=world.users["bso_staff"],
    )
    other_bso_staff = UserFactory(username="bso2", role="bso_staff", bso=world.other_bso)
    other = services.application_create(
        call=inside.call, data=eligible(cluster=world.outside), user=other_bso_staff
    )
    return {"call": inside.call, "draft": draft_outside, "mine": application, "other": other}


def login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


@pytest.mark.parametrize("name", ["call", "application"])
def test_anonymous_users_read_nothing(api_client, calls, name):
    obj = calls["call"] if name == "call" else calls["mine"]
    assert api_client.get(reverse(f"api:{name}-list")).status_code == 401
    assert api_client.get(reverse(f"api:{name}-detail", args=[obj.pk])).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_calls_list_the_public_ones_and_the_drafts_of_programs_written(
    api_client, world, calls, role, django_assert_max_num_queries
):
    client = login(api_client, world, role)
    with django_assert_max_num_queries(8):
        rows = client.get(reverse("api:call-list")).json()["results"]
    ids = {row["id"] for row in rows}
    draft = calls["draft"].pk
    assert ids == ({calls["call"].pk, draft} if role == "admin" else {calls["call"].pk})
    detail = client.get(reverse("api:call-detail", args=[draft]))
    assert detail.status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_applications_hold_only_the_users_scope(
    api_client, world, calls, role, django_assert_max_num_queries
):
    client = login(api_client, world, role)
    with django_assert_max_num_queries(8):
        rows = client.get(reverse("api:application-list")).json()["results"]
    ids = {row["id"] for row in rows}
    mine, other = calls["mine"].pk, calls["other"].pk
    # the call's program works in Argentina: its officer, Argentina's ministry and the Southern
    # Cone's regional body read every application to it; BSO staff only their BSO's
    assert ids == ({mine} if role == "bso_staff" else {mine, other})
    outside = client.get(reverse("api:application-detail", args=[other]))
    assert outside.status_code == (404 if role == "bso_staff" else 200)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_officers_and_admins_write_calls(api_client, world, calls, role):
    client = login(api_client, world, role)
    body = {
        "program": world.program.pk,
        "title": "Second call",
        "text": "More.",
        "deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "budget": "2000.00",
        "min_cofinancing_percent": "25",
        "criteria": [{"name": "All", "weight": 100}],
        "evaluators": [world.users["program_officer"].pk],
    }
    create = client.post(reverse("api:call-list"), body, format="json")
    expected = {None: 401, "program_officer": 201, "admin": 201}.get(role, 403)
    assert create.status_code == expected, create.json()
    if expected == 201:
        assert create.json()["min_cofinancing_percent"] == "25.00"
        url = reverse("api:call-transition", args=[create.json()["id"]])
        assert client.post(url, {"to": "published"}, format="json").status_code == 200


def test_an_officer_cannot_open_a_call_for_another_program(api_client, world, calls):
    client = login(api_client, world, "program_officer")
    body = {
        "program": world.other_program.pk,
        "title": "x",
        "text": "x",
        "deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        "budget": "1",
    }
    assert client.post(reverse("api:call-list"), body, format="json").status_code == 404


@pytest.mark.parametrize("role", [None, *ROLES])
def test_only_bso_staff_apply(api_client, world, calls, role):
    client = login(api_client, world, role)
    body = {
        "call": calls["call"].pk,
        "cluster": supported_cluster(world, "Luján").pk,
        "declared_firms": 30,
        "local_institutions": "INTA",
        "cofinancing_percent": "40",
    }
    create = client.post(reverse("api:application-list"), body, format="json")
    expected = {None: 401, "bso_staff": 201}.get(role, 403)
    assert create.status_code == expected, create.json()


def test_submitting_an_ineligible_application_answers_the_reasons(api_client, world, calls):
    client = login(api_client, world, "bso_staff")
    url = reverse("api:application-detail", args=[calls["mine"].pk])
    assert client.patch(url, {"cofinancing_percent": "5"}, format="json").status_code == 200
    answer = client.post(reverse("api:application-submit", args=[calls["mine"].pk]))
    assert answer.status_code == 400
    assert "Co-financing too low: 5.00% offered" in str(answer.json())
    client.patch(url, {"cofinancing_percent": "30"}, format="json")
    answer = client.post(reverse("api:application-submit", args=[calls["mine"].pk]))
    assert answer.status_code == 200 and answer.json()["state"] == "submitted"


def test_evaluate_and_select_through_the_api(api_client, world, calls):
    application = services.application_submit(application=calls["mine"])
    call = calls["call"]
    services.call_transition(call=call, to="closed")
    first, second = call.evaluators.order_by("pk")
    criteria = list(call.criteria.all())
    for evaluator in (first, second):
        api_client.force_authenticate(evaluator)
        url = reverse("api:application-scores", args=[application.pk])
        body = {"scores": [{"criterion": c.pk, "value": "4", "comment": "Good"} for c in criteria]}
        assert api_client.post(url, body, format="json").status_code == 400  # not declared
        declare = reverse("api:application-declare", args=[application.pk])
        assert api_client.post(declare).status_code == 200
        answer = api_client.post(url, body, format="json")
        assert answer.status_code == 200
        assert len(answer.json()["scores"]) == (3 if evaluator == first else 6)
    api_client.force_authenticate(world.users["bso_staff"])
    select = reverse("api:application-select", args=[application.pk])
    assert api_client.post(select, {"reason": "x"}, format="json").status_code == 403
    api_client.force_authenticate(first)
    answer = api_client.post(select, {"reason": "Best plan"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == Application.State.SELECTED
