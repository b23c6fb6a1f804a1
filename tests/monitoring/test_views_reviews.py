"""The review queue and the review actions: officers approve in one click, return with a
comment; other roles are told why they cannot; refusals are messages, never errors."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Flag, Report, ReportTransition
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import Period, Template
from scorecards.services import scorecard_adopt
from tests.downloads import csv_rows, xlsx_rows
from tests.factories import ClusterFactory, EnrolmentFactory, UserFactory

QUEUE = "/reviews/"


def action_url(report, action):
    return reverse("report-action", args=[report.pk, action])


def fill_and_submit(report, user):
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "10"}
        elif m.kpi.by_sex:
            rows[m.kpi_id] = {"value_women": "3", "value_men": "2"}
        else:
            rows[m.kpi_id] = {"value": "1"}
    report_record_values(report=report, rows=rows, user=user)
    return report_transition(report=report, action="submit", user=user)


def adopt_thai(cluster):
    scorecard_adopt(
        cluster=cluster,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def submitted(thai):
    fill_and_submit(thai.report, thai.users["bso_staff"])
    thai.report.refresh_from_db()
    return thai


@pytest.fixture
def officer(client, thai):
    client.force_login(thai.users["program_officer"])
    return client


def test_officers_see_only_the_submitted_reports_of_their_clusters(officer, submitted):
    draft = report_open(cluster=submitted.inside, period=Period.objects.get(year=2025, quarter=2))
    adopt_thai(submitted.outside)
    elsewhere = report_open(cluster=submitted.outside, period=submitted.q1)
    fill_and_submit(elsewhere, submitted.users["admin"])

    html = officer.get(QUEUE).content.decode()

    assert f'data-report="{submitted.report.pk}"' in html
    assert f'data-report="{draft.pk}"' not in html
    assert f'data-report="{elsewhere.pk}"' not in html
    row = html.split(f'data-report="{submitted.report.pk}"')[1].split("</tr>")[0]
    assert "Mendoza wine" in row and "2025-Q1" in row and "by bso" in row
    assert action_url(submitted.report, "approve") in row
    assert action_url(submitted.report, "return") in row
    assert submitted.report.get_absolute_url() in row


def test_the_oldest_submission_comes_first(officer, submitted):
    q2 = report_open(cluster=submitted.inside, period=Period.objects.get(year=2025, quarter=2))
    fill_and_submit(q2, submitted.users["bso_staff"])
    # The Q1 report is returned and submitted again: it now waits less than Q2.
    report_transition(
        report=submitted.report, action="return", user=submitted.users["admin"], comment="Fix"
    )
    report_transition(report=submitted.report, action="submit", user=submitted.users["bso_staff"])

    html = officer.get(QUEUE).content.decode()

    assert html.index(f'data-report="{q2.pk}"') < html.index(f'data-report="{submitted.report.pk}"')


def test_an_officer_approves_from_the_queue_with_one_post(officer, submitted):
    response = officer.post(action_url(submitted.report, "approve"), {"next": QUEUE}, follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert any("was approved" in m for m in messages_of(response))
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.APPROVED
    assert f'data-report="{submitted.report.pk}"' not in response.content.decode()


def test_returning_without_a_comment_is_refused_with_a_message(officer, submitted):
    response = officer.post(
        action_url(submitted.report, "return"), {"next": QUEUE, "comment": "  "}, follow=True
    )

    assert response.status_code == 200
    assert "Say why: the cluster will see this comment." in messages_of(response)
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.SUBMITTED


def test_returning_with_a_comment_sends_the_report_back_to_the_cluster(officer, submitted):
    response = officer.post(
        action_url(submitted.report, "return"),
        {"next": QUEUE, "comment": "Employment figures look doubled."},
        follow=True,
    )

    assert any("was returned" in m for m in messages_of(response))
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.RETURNED
    last = submitted.report.transitions.last()
    assert (last.action, last.by, last.comment) == (
        "return",
        submitted.users["program_officer"],
        "Employment figures look doubled.",
    )


def test_reopening_an_approved_report_needs_a_reason(officer, submitted):
    report_transition(report=submitted.report, action="approve", user=submitted.users["admin"])
    response = officer.post(action_url(submitted.report, "reopen"), {"comment": " "})
    # the report's page again, the error beside the comment (and linked from the summary)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="reopen-comment_error"' in html
    assert "Say why: the cluster will see this comment." in html
    assert 'href="#reopen-comment"' in html
    response = officer.post(
        action_url(submitted.report, "reopen"), {"comment": "Auditor found a typo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == submitted.report.get_absolute_url()
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.RETURNED


def test_a_return_refused_on_the_report_page_keeps_the_comment_typed(officer, submitted):
    # the service strips the comment: spaces alone are no comment, and come back as typed
    response = officer.post(action_url(submitted.report, "return"), {"comment": "   "})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="return-comment_error"' in html
    assert 'id="return-comment_error"' in html
    assert '<textarea id="return-comment" name="comment" rows="3" required' in html
    assert ">   </textarea>" in html
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.SUBMITTED


def test_bso_staff_cannot_approve(client, submitted):
    client.force_login(submitted.users["bso_staff"])

    response = client.post(action_url(submitted.report, "approve"), follow=True)

    assert "Your role cannot do this: approve." in messages_of(response)
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.SUBMITTED


def test_a_transition_the_state_does_not_allow_is_a_message_not_an_error(officer, submitted):
    report_transition(report=submitted.report, action="approve", user=submitted.users["admin"])
    response = officer.post(action_url(submitted.report, "approve"), follow=True)
    assert response.status_code == 200
    assert any("cannot be approved" in m for m in messages_of(response))


def test_bso_staff_submit_through_the_action_endpoint(client, thai):
    client.force_login(thai.users["bso_staff"])
    response = client.post(action_url(thai.report, "submit"), follow=True)
    assert any("Missing:" in m for m in messages_of(response))
    thai.report.refresh_from_db()
    assert thai.report.state == Report.State.DRAFT


def test_a_next_url_on_another_site_is_ignored(officer, submitted):
    response = officer.post(
        action_url(submitted.report, "approve"), {"next": "https://evil.example/phish"}
    )
    assert response["Location"] == submitted.report.get_absolute_url()


def test_an_unknown_action_or_a_get_is_refused(officer, submitted):
    assert officer.post(f"/reports/{submitted.report.pk}/delete/").status_code == 404
    assert officer.get(action_url(submitted.report, "approve")).status_code == 405
    submitted.report.refresh_from_db()
    assert submitted.report.state == Report.State.SUBMITTED


def test_acting_on_a_report_out_of_scope_answers_404(officer, thai):
    adopt_thai(thai.outside)
    elsewhere = report_open(cluster=thai.outside, period=thai.q1)
    fill_and_submit(elsewhere, thai.users["admin"])

    assert officer.post(action_url(elsewhere, "approve")).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == Report.State.SUBMITTED


@pytest.mark.parametrize("role", ["bso_staff", "ministry", "regional"])
def test_other_roles_get_an_explanation_instead_of_the_queue(client, submitted, role):
    client.force_login(submitted.users[role])

    response = client.get(QUEUE)

    assert response.status_code == 403
    html = response.content.decode()
    assert "data-not-reviewer" in html
    assert "Your role does not review reports." in html
    assert f'data-report="{submitted.report.pk}"' not in html


def test_admins_see_every_submitted_report(client, submitted):
    client.force_login(submitted.users["admin"])
    assert f'data-report="{submitted.report.pk}"' in client.get(QUEUE).content.decode()


def test_the_queue_runs_a_bounded_number_of_queries(client, thai, django_assert_max_num_queries):
    # 20 submitted reports of 20 clusters of the officer's program, each by another person,
    # the n-th with n % 7 explained flags on its values.
    q1 = thai.q1
    for n in range(20):
        cluster = ClusterFactory(country=thai.argentina)
        EnrolmentFactory(program=thai.program, cluster=cluster)
        adopt_thai(cluster)
        report = report_open(cluster=cluster, period=q1)
        Flag.objects.bulk_create(
            Flag(measurement=m, rule="maximum", raised_at=timezone.now(), explanation="Right.")
            for m in report.measurements.all()[: n % 7]
        )
        submitter = UserFactory(username=f"staff{n}", first_name=f"Staff {n}")
        ReportTransition.objects.create(
            report=report, action="submit", from_state="draft", to_state="submitted", by=submitter
        )
        Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
    client.force_login(thai.users["program_officer"])

    with django_assert_max_num_queries(6):
        response = client.get(QUEUE)

    html = response.content.decode()
    assert html.count("data-report=") == 20
    assert "Staff 19" in html
    counts = re.findall(r'data-flag-count="(\d+)"', html)
    assert sorted(map(int, counts)) == sorted(n % 7 for n in range(20))
    assert "6 flags, explained" in html and "1 flag, explained" in html


# --- Downloads --------------------------------------------------------------------------------


def _submit_elsewhere(world):
    adopt_thai(world.outside)
    elsewhere = report_open(cluster=world.outside, period=world.q1)
    fill_and_submit(elsewhere, world.users["admin"])
    return elsewhere


def test_the_queue_download_holds_the_rows_of_the_page(officer, submitted):
    html = officer.get(QUEUE).content.decode()

    header, *rows = csv_rows(officer.get(QUEUE, {"format": "csv"}))

    assert header == ["Cluster", "Period", "Submitted", "Submitted by"]
    assert len(rows) == html.count("data-report=") == 1
    cluster, period, at, by = rows[0]
    assert (cluster, period, by) == ("Mendoza wine", "2025-Q1", "bso")
    assert "by bso" in html and cluster in html and period in html
    assert at.startswith(str(submitted.report.transitions.get(action="submit").at.date()))
    assert "?format=csv" in html and "?format=xlsx" in html


def test_the_queue_download_holds_only_the_reviewers_scope(client, submitted):
    _submit_elsewhere(submitted)

    client.force_login(submitted.users["program_officer"])
    officer_rows = csv_rows(client.get(QUEUE, {"format": "csv"}))[1:]
    client.force_login(submitted.users["admin"])
    admin_rows = csv_rows(client.get(QUEUE, {"format": "csv"}))[1:]

    assert [row[0] for row in officer_rows] == ["Mendoza wine"]
    assert sorted(row[0] for row in admin_rows) == ["Atuntaqui garments", "Mendoza wine"]


@pytest.mark.parametrize("role", ["bso_staff", "ministry", "regional"])
def test_other_roles_get_no_queue_download(client, submitted, role):
    client.force_login(submitted.users[role])

    response = client.get(QUEUE, {"format": "csv"})

    assert response.status_code == 403
    assert "data-not-reviewer" in response.content.decode()


def test_the_queue_download_neutralises_formulas_and_opens_as_xlsx(officer, submitted):
    submitted.inside.name = "=cmd"
    submitted.inside.save()

    csv_lines = csv_rows(officer.get(QUEUE, {"format": "csv"}))
    header, *rows = xlsx_rows(officer.get(QUEUE, {"format": "xlsx"}))

    assert csv_lines[1][0] == "'=cmd"
    assert header == ("Cluster", "Period", "Submitted", "Submitted by")
    assert rows[0][0] == "'=cmd"
    assert isinstance(rows[0][2], datetime.datetime)  # a date cell, not text


def test_the_queue_download_runs_the_same_queries_for_few_or_many_reports(
    client, submitted, django_assert_max_num_queries
):
    client.force_login(submitted.users["program_officer"])
    with django_assert_max_num_queries(5):
        few = xlsx_rows(client.get(QUEUE, {"format": "xlsx"}))
    for n in range(20):
        cluster = ClusterFactory(country=submitted.argentina)
        EnrolmentFactory(program=submitted.program, cluster=cluster)
        adopt_thai(cluster)
        report = report_open(cluster=cluster, period=submitted.q1)
        submitter = UserFactory(username=f"staff{n}", first_name=f"Staff {n}")
        ReportTransition.objects.create(
            report=report, action="submit", from_state="draft", to_state="submitted", by=submitter
        )
        Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)

    with django_assert_max_num_queries(5):
        many = xlsx_rows(client.get(QUEUE, {"format": "xlsx"}))

    assert len(few) == 2 and len(many) == 22
    assert {row[3] for row in many[1:]} >= {"Staff 0", "Staff 19"}
