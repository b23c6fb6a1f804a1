"""Comment threads on the pages: beside each value on the report page (posted from there), named
by a return, counted in the review queue; scoped as the report is."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Comment, Flag, Report, ReportTransition
from monitoring.reports.comments import comment_post
from monitoring.reports.services import report_open, report_record_values, report_transition
from notifications.models import Notification
from scorecards.models import Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory, EnrolmentFactory, UserFactory
from tests.reports import complete_rows


def lean(report):
    return report.measurements.get(kpi__code="thai-lean")


def thread(html, measurement):
    """The HTML of one value's thread on the report page ('' when it has none)."""
    found = re.search(
        rf'<details class="kpi-comments" id="comments-{measurement.pk}".*?</details>', html, re.S
    )
    return found[0] if found else ""


def page(client, report):
    return client.get(report.get_absolute_url()).content.decode()


@pytest.fixture
def submitted(thai):
    staff = thai.users["bso_staff"]
    report_record_values(report=thai.report, rows=complete_rows(thai.report), user=staff)
    thai.report = report_transition(report=thai.report, action="submit", user=staff)
    return thai


# --- the report page --------------------------------------------------------------------------


def test_bso_staff_post_a_comment_beside_the_value_and_read_it_there(client, thai):
    client.force_login(thai.users["bso_staff"])
    value = lean(thai.report)
    before = thread(page(client, thai.report), value)
    assert "Comment on this value" in before  # no comment yet: the box to write one
    assert f'form="comment-form-{value.pk}"' in before

    response = client.post(
        reverse("measurement-comment", args=[value.pk]), {"text": "Two firms merged."}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/reports/{thai.report.pk}/#comments-{value.pk}"
    after = thread(client.get(response["Location"]).content.decode(), value)
    assert "1 comment" in after and "Two firms merged." in after and " open" in after
    assert Notification.objects.get().recipient == thai.users["program_officer"]


def test_an_empty_comment_from_the_page_is_a_message_not_an_error(client, thai):
    client.force_login(thai.users["bso_staff"])
    response = client.post(
        reverse("measurement-comment", args=[lean(thai.report).pk]), {"text": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Write the comment." in [str(m) for m in response.context["messages"]]
    assert not Comment.objects.exists()


def test_a_ministry_reads_an_approved_reports_threads_without_a_box_to_write(client, thai):
    comment_post(measurement=lean(thai.report), text="Why 480?", user=thai.users["program_officer"])
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.APPROVED)
    client.force_login(thai.users["ministry"])

    html = thread(page(client, thai.report), lean(thai.report))

    assert "Why 480?" in html
    assert "<textarea" not in html and "comment-form-" not in page(client, thai.report)


@pytest.mark.parametrize("state", [Report.State.DRAFT, Report.State.SUBMITTED])
def test_a_ministry_never_reaches_a_drafts_thread(client, thai, state):
    comment_post(measurement=lean(thai.report), text="Why 480?", user=thai.users["program_officer"])
    Report.objects.filter(pk=thai.report.pk).update(state=state)
    client.force_login(thai.users["ministry"])
    assert client.get(thai.report.get_absolute_url()).status_code == 404
    post = client.post(reverse("measurement-comment", args=[lean(thai.report).pk]), {"text": "?"})
    assert post.status_code == 404
    assert Comment.objects.count() == 1


def test_a_value_outside_the_scope_is_404(client, thai):
    scorecard_adopt(
        cluster=thai.outside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    outside = report_open(cluster=thai.outside, period=thai.q1)
    client.force_login(thai.users["bso_staff"])
    post = client.post(reverse("measurement-comment", args=[lean(outside).pk]), {"text": "Hi"})
    assert post.status_code == 404
    assert not Comment.objects.exists()


def test_the_report_pages_queries_do_not_grow_with_its_comments(
    client, thai, django_assert_max_num_queries
):
    """Three comments on every value (by two people) cost what one comment on one value does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(thai.users["program_officer"])
    comment_post(measurement=lean(thai.report), text="One.", user=thai.users["bso_staff"])
    with CaptureQueriesContext(connection) as one:
        client.get(thai.report.get_absolute_url())
    for m in thai.report.measurements.all():
        for n, who in enumerate(["bso_staff", "program_officer", "bso_staff"]):
            Comment.objects.create(measurement=m, author=thai.users[who], text=f"Note {n}")

    with django_assert_max_num_queries(len(one)):
        html = page(client, thai.report)

    assert html.count("data-comment>") == 1 + 3 * thai.report.measurements.count()


# --- a return names the values it is about ----------------------------------------------------


def test_the_return_form_offers_the_reports_values(client, submitted):
    client.force_login(submitted.users["program_officer"])
    html = page(client, submitted.report)
    boxes = re.findall(r'<input type="checkbox" id="return-value-(\d+)" name="values"', html)
    assert sorted(map(int, boxes)) == sorted(
        submitted.report.measurements.values_list("pk", flat=True)
    )


def test_a_return_from_the_page_naming_two_values_opens_two_threads(client, submitted):
    client.force_login(submitted.users["program_officer"])
    named = list(submitted.report.measurements.order_by("kpi__code")[:2])

    response = client.post(
        reverse("report-action", args=[submitted.report.pk, "return"]),
        {"comment": "These two look low.", "values": [str(m.pk) for m in named]},
    )

    assert response.status_code == 302
    assert Report.objects.get(pk=submitted.report.pk).state == Report.State.RETURNED
    assert sorted(Comment.objects.values_list("measurement_id", flat=True)) == sorted(
        m.pk for m in named
    )
    client.force_login(submitted.users["bso_staff"])
    html = page(client, submitted.report)
    for m in named:
        shown = thread(html, m)
        assert "These two look low." in shown and "from the return" in shown
    others = submitted.report.measurements.exclude(pk__in=[m.pk for m in named])
    assert all("data-comment>" not in thread(html, m) for m in others)


def test_a_return_refused_for_want_of_a_comment_keeps_the_values_ticked(client, submitted):
    client.force_login(submitted.users["program_officer"])
    value = lean(submitted.report)
    response = client.post(
        reverse("report-action", args=[submitted.report.pk, "return"]),
        {"comment": "", "values": [str(value.pk)]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        rf'id="return-value-{value.pk}" name="values" value="{value.pk}" checked', html
    )
    assert not Comment.objects.exists()


# --- the review queue -------------------------------------------------------------------------


def test_the_queue_counts_flags_and_comments_in_a_bounded_number_of_queries(
    client, thai, django_assert_max_num_queries
):
    """20 submitted reports: the n-th with n % 7 explained flags and n % 5 comments on
    min(n % 5, 2) values (so 4 comments sit on 2 values, 1 on 1)."""
    for n in range(20):
        cluster = ClusterFactory(country=thai.argentina)
        EnrolmentFactory(program=thai.program, cluster=cluster)
        scorecard_adopt(
            cluster=cluster,
            template=Template.objects.get(code="thai-food", version=1),
            on=datetime.date(2024, 1, 1),
        )
        report = report_open(cluster=cluster, period=thai.q1)
        values = list(report.measurements.order_by("kpi__code"))
        Flag.objects.bulk_create(
            Flag(measurement=m, rule="maximum", raised_at=timezone.now(), explanation="Right.")
            for m in values[: n % 7]
        )
        submitter = UserFactory(username=f"staff{n}", first_name=f"Staff {n}")
        Comment.objects.bulk_create(
            Comment(measurement=values[k % 2], author=submitter, text=f"Comment {k}")
            for k in range(n % 5)
        )
        ReportTransition.objects.create(
            report=report, action="submit", from_state="draft", to_state="submitted", by=submitter
        )
        Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
    client.force_login(thai.users["program_officer"])

    with django_assert_max_num_queries(6):
        response = client.get("/reviews/")

    html = response.content.decode()
    assert html.count("data-report=") == 20
    flags = re.findall(r'data-flag-count="(\d+)"', html)
    assert sorted(map(int, flags)) == sorted(n % 7 for n in range(20))
    comments = re.findall(r'data-comment-count="(\d+)"', html)
    assert sorted(map(int, comments)) == sorted(n % 5 for n in range(20))
    assert "4 comments" in html and "on 2 values" in html
    assert "1 comment<" in html and "on 1 value<" in html
