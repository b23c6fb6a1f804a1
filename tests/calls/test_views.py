"""The calls' pages as users reach them: public calls (anonymous, in Spanish too), applying with
eligibility reasons, scoring with hidden scores, the ranking, its download, and selection."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from calls import services
from calls.models import Application, Call
from programs.models import Enrolment
from tests.calls.helpers import build_call, eligible, score, supported_cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    return build_call(world)


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_published_calls_are_public_and_drafts_are_not(world, setup, django_assert_max_num_queries):
    draft = build_call(world, publish=False).call
    Call.objects.filter(pk=draft.pk).update(title="Hidden draft")
    anonymous = client_of()
    with django_assert_max_num_queries(6):
        page = anonymous.get(reverse("call-list"))
    assert "Cluster initiatives 2026" in page.content.decode()
    assert "Hidden draft" not in page.content.decode()
    detail = anonymous.get(reverse("call-detail", args=[setup.call.pk]))
    assert "Quality of the plan" in detail.content.decode() and "50%" in detail.content.decode()
    assert anonymous.get(reverse("call-detail", args=[draft.pk])).status_code == 404
    spanish = anonymous.get(reverse("call-detail", args=[setup.call.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Criterios" in spanish.content.decode()


def test_bso_staff_apply_and_see_each_broken_rule(world, setup):
    client = client_of(world.users["bso_staff"])
    url = reverse("application-new", args=[setup.call.pk])
    cluster = supported_cluster(world, "Maipú")
    body = {
        "cluster": cluster.pk,
        "declared_firms": 4,
        "local_institutions": "",
        "cofinancing_percent": "10",
        "answers": "We export.",
    }
    refused = client.post(url, body)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Too few firms: 4 declared" in text
    assert "No local institution takes part" in text
    assert "Co-financing too low: 10.00% offered" in text
    assert not Application.objects.exists()
    body |= {"declared_firms": 12, "local_institutions": "INTA", "cofinancing_percent": "25"}
    assert client.post(url, body).status_code == 302
    assert Application.objects.get().state == Application.State.SUBMITTED


def test_evaluate_rank_download_and_select(world, setup):
    application = services.application_create(
        call=setup.call,
        data=eligible(cluster=supported_cluster(world, "Maipú")),
        user=world.users["bso_staff"],
    )
    application = services.application_submit(application=application)
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    first, second = setup.evaluators
    score(application, second, setup.criteria, [2, 2, 2])
    evaluate = reverse("application-evaluate", args=[application.pk])
    client = client_of(first)
    page = client.get(evaluate).content.decode()
    assert "Reasoned." not in page  # the other evaluator's comments stay hidden
    body = {"no_conflict": "on"}
    for criterion in setup.criteria:
        body |= {f"criterion_{criterion.pk}": "4", f"comment_{criterion.pk}": "Solid"}
    assert client.post(evaluate, body).status_code == 302
    assert "Reasoned." in client.get(evaluate).content.decode()
    ranking = client.get(reverse("call-ranking", args=[setup.call.pk]))
    assert "60.00" in ranking.content.decode()  # (80 + 40) / 2
    download = client.get(reverse("call-ranking", args=[setup.call.pk]), {"format": "csv"})
    assert b"Maip" in download.content and b"60.00" in download.content
    assert client_of(world.users["bso_staff"]).get(evaluate).status_code == 403
    select = reverse("application-select", args=[application.pk])
    assert client.post(select, {"reason": "Strong plan"}).status_code == 302
    assert Enrolment.objects.filter(program=world.program, cluster=application.cluster).exists()


def test_an_officer_opens_and_publishes_a_call_from_the_pages(world, setup):
    officer = world.users["program_officer"]
    client = client_of(officer)
    body = {
        "program": world.program.pk,
        "title": "Export clusters",
        "text": "Grants for export plans.",
        "deadline": "2099-01-31T12:00",
        "budget": "100000",
        "scale_max": "5",
        "min_firms": "8",
        "local_institution_required": "on",
        "min_cofinancing_percent": "20",
        "evaluators": [officer.pk],
        "criteria": "Plan | 60\nPartners | 30",
    }
    assert client.post(reverse("call-create"), body).status_code == 302
    call = Call.objects.get(title="Export clusters")
    assert call.min_cofinancing == Decimal("0.2") and call.state == Call.State.DRAFT
    transition = reverse("call-transition", args=[call.pk])
    page = client.post(transition, {"to": "published"}, follow=True).content.decode()
    assert "add up to 90" in page
    services.call_update(call=call, data={}, criteria=[{"name": "Plan", "weight": 100}])
    client.post(transition, {"to": "published"})
    assert Call.objects.get(pk=call.pk).state == Call.State.PUBLISHED
    assert client_of(world.users["bso_staff"]).get(reverse("call-create")).status_code == 403


def test_the_results_download_as_xlsx(world, setup, django_assert_max_num_queries):
    for name in ("Maipú", "Luján", "Tupungato"):
        application = services.application_create(
            call=setup.call,
            data=eligible(cluster=supported_cluster(world, name)),
            user=world.users["bso_staff"],
        )
        services.application_submit(application=application)
    client = client_of(world.users["program_officer"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("call-ranking", args=[setup.call.pk]))
    assert page.content.decode().count("Not fully scored") == 3
    answer = client.get(reverse("call-ranking", args=[setup.call.pk]), {"format": "xlsx"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('.xlsx"')
    assert (
        client_of(world.users["ministry"])
        .get(reverse("call-ranking", args=[setup.call.pk]))
        .status_code
        == 403
    )


def test_a_document_is_checked_like_an_activity_attachment(world, setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_of(world.users["bso_staff"])
    url = reverse("application-new", args=[setup.call.pk])
    body = {
        "cluster": supported_cluster(world, "Maipú").pk,
        "declared_firms": 12,
        "local_institutions": "INTA",
        "cofinancing_percent": "25",
    }
    fake = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>")
    refused = client.post(url, {**body, "document": fake})
    assert refused.status_code == 400 and not Application.objects.exists()
    assert 'id="id_document"' in refused.content.decode()
    real = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert client.post(url, {**body, "document": real}).status_code == 302
    assert Application.objects.get().documents.get().name == "plan.pdf"


def test_applications_close_at_the_deadline(world, setup):
    Call.objects.filter(pk=setup.call.pk).update(deadline="2020-01-01T00:00Z")
    client = client_of(world.users["bso_staff"])
    body = {
        "cluster": supported_cluster(world, "Maipú").pk,
        "declared_firms": 12,
        "local_institutions": "INTA",
        "cofinancing_percent": "25",
    }
    answer = client.post(reverse("application-new", args=[setup.call.pk]), body)
    assert "The call is not open for applications." in answer.content.decode()
    assert not Application.objects.exists()
