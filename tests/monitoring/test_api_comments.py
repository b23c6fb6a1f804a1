"""A value's comment thread through the API: GET/POST /api/v1/measurements/{id}/comments/, the
count on each value, and a return that names values (POST /reports/{id}/return/)."""

import pytest
from django.urls import reverse

from monitoring.models import Comment, Report
from monitoring.reports.comments import comment_post
from monitoring.reports.services import report_record_values, report_transition
from notifications.models import Notification
from tests.reports import complete_rows


def lean(report):
    return report.measurements.select_related("kpi").get(kpi__code="thai-lean")


def thread_url(measurement):
    return reverse("api:measurement-comments", args=[measurement.pk])


@pytest.fixture
def discussed(thai):
    """thai's draft with a question of the officer on lean and the BSO's answer."""
    value = lean(thai.report)
    comment_post(measurement=value, text="Why 480?", user=thai.users["program_officer"])
    comment_post(measurement=value, text="Two firms merged.", user=thai.users["bso_staff"])
    thai.lean = value
    return thai


def test_the_thread_is_read_oldest_first(api_client, discussed):
    api_client.force_authenticate(discussed.users["bso_staff"])
    body = api_client.get(thread_url(discussed.lean)).json()["results"]
    assert [(c["author"], c["text"], c["review_action"]) for c in body] == [
        ("officer", "Why 480?", None),
        ("bso", "Two firms merged.", None),
    ]
    assert set(body[0]) == {
        "id",
        "measurement",
        "author",
        "author_name",
        "text",
        "created_at",
        "review_action",
    }


def test_a_value_carries_its_comment_count(api_client, discussed):
    api_client.force_authenticate(discussed.users["program_officer"])
    detail = api_client.get(reverse("api:measurement-detail", args=[discussed.lean.pk])).json()
    assert detail["comment_count"] == 2
    report = api_client.get(reverse("api:report-detail", args=[discussed.report.pk])).json()
    counts = {m["kpi_code"]: m["comment_count"] for m in report["measurements"]}
    assert counts["thai-lean"] == 2 and sum(counts.values()) == 2


def test_posting_a_comment_answers_201_and_notifies_the_other_side(api_client, thai):
    api_client.force_authenticate(thai.users["bso_staff"])
    value = lean(thai.report)

    response = api_client.post(thread_url(value), {"text": "Lean doubled."}, format="json")

    assert response.status_code == 201
    assert response.json()["text"] == "Lean doubled."
    assert response.json()["author"] == "bso"
    assert list(Notification.objects.values_list("kind", "recipient__username")) == [
        ("comment", "officer")
    ]


def test_an_empty_comment_is_a_field_error(api_client, thai):
    api_client.force_authenticate(thai.users["bso_staff"])
    response = api_client.post(thread_url(lean(thai.report)), {"text": " "}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("role", ["ministry", "regional"])
def test_a_ministry_never_sees_a_drafts_comment(api_client, discussed, role):
    """A draft (and a submitted report) is not theirs to read: 404, as for its value. Once the
    report is approved they read the thread, and still do not write in it (403)."""
    api_client.force_authenticate(discussed.users[role])
    assert api_client.get(thread_url(discussed.lean)).status_code == 404

    Report.objects.filter(pk=discussed.report.pk).update(state=Report.State.SUBMITTED)
    assert api_client.get(thread_url(discussed.lean)).status_code == 404

    Report.objects.filter(pk=discussed.report.pk).update(state=Report.State.APPROVED)
    readable = api_client.get(thread_url(discussed.lean))
    assert readable.status_code == 200 and readable.json()["count"] == 2
    post = api_client.post(thread_url(discussed.lean), {"text": "Nice."}, format="json")
    assert post.status_code == 403


def test_a_thread_outside_the_scope_answers_404(api_client, discussed):
    from tests.factories import UserFactory

    outsider = UserFactory(username="outside", role="bso_staff", bso=discussed.other_bso)
    api_client.force_authenticate(outsider)
    assert api_client.get(thread_url(discussed.lean)).status_code == 404
    post = api_client.post(thread_url(discussed.lean), {"text": "Hello"}, format="json")
    assert post.status_code == 404
    assert Comment.objects.count() == 2


def test_a_return_through_the_api_names_two_values_and_opens_two_threads(api_client, thai):
    staff = thai.users["bso_staff"]
    report_record_values(report=thai.report, rows=complete_rows(thai.report), user=staff)
    report_transition(report=thai.report, action="submit", user=staff)
    named = list(thai.report.measurements.order_by("kpi__code")[:2])
    api_client.force_authenticate(thai.users["program_officer"])

    response = api_client.post(
        reverse("api:report-return", args=[thai.report.pk]),
        {"comment": "These two look low.", "values": [m.pk for m in named]},
        format="json",
    )

    assert response.status_code == 200 and response.json()["state"] == "returned"
    for m in named:
        (comment,) = api_client.get(thread_url(m)).json()["results"]
        assert (comment["text"], comment["review_action"]) == ("These two look low.", "return")
    assert Comment.objects.count() == 2


def test_a_return_naming_a_value_of_another_report_answers_400(api_client, thai, world):
    staff = thai.users["bso_staff"]
    report_record_values(report=thai.report, rows=complete_rows(thai.report), user=staff)
    report_transition(report=thai.report, action="submit", user=staff)
    api_client.force_authenticate(thai.users["admin"])
    from monitoring.reports.services import report_open
    from scorecards.models import Period

    other = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))
    response = api_client.post(
        reverse("api:report-return", args=[thai.report.pk]),
        {"comment": "Fix.", "values": [lean(other).pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["values"] == ["Name only values of this report."]
    assert Report.objects.get(pk=thai.report.pk).state == Report.State.SUBMITTED
