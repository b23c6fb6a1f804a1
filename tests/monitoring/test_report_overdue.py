"""A report past its deadline and still a draft says "Overdue" wherever its state shows: the
report page, the cluster's scorecard and dashboard, and the BSO's to-do list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Report
from monitoring.reports.selectors import is_overdue
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import Period
from scorecards.services import periods_generate
from tests.reports import complete_rows

BADGE = "data-overdue"
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("state", "deadline", "overdue"),
    [
        (Report.State.DRAFT, -DAY, True),
        (None, -DAY, True),  # not started
        (Report.State.DRAFT, datetime.timedelta(0), False),  # due today: not yet
        (Report.State.DRAFT, DAY, False),
        (Report.State.SUBMITTED, -DAY, False),
        (Report.State.APPROVED, -DAY, False),
        (Report.State.RETURNED, -DAY, False),  # sent in time; waits on the reviewer's comment
    ],
)
def test_overdue_is_a_draft_or_missing_report_past_its_deadline(state, deadline, overdue):
    today = datetime.date(2026, 5, 1)
    assert is_overdue(state=state, deadline=today + deadline, today=today) is overdue


@pytest.fixture
def bso(client, thai):
    client.force_login(thai.users["bso_staff"])
    return client


def test_the_report_page_marks_a_draft_past_its_deadline(bso, thai):
    assert thai.q1.deadline < timezone.localdate()
    assert BADGE in bso.get(reverse("report-detail", args=[thai.report.pk])).content.decode()


def test_a_submitted_report_is_not_overdue(bso, thai):
    report_record_values(
        report=thai.report, rows=complete_rows(thai.report), user=thai.users["bso_staff"]
    )
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    assert BADGE not in bso.get(reverse("report-detail", args=[thai.report.pk])).content.decode()


def test_the_cluster_pages_mark_the_overdue_report(bso, thai):
    dashboard = bso.get(reverse("dashboard-cluster", args=[thai.inside.pk])).content.decode()
    assert BADGE in dashboard
    scorecard = bso.get(
        reverse("cluster-scorecard", args=[thai.inside.pk]), {"period": thai.q1.pk}
    ).content.decode()
    assert BADGE in scorecard


def test_the_bso_to_do_marks_an_overdue_draft(bso, thai):
    today = timezone.localdate()
    periods_generate(first_year=today.year - 1, last_year=today.year + 1)
    past = (
        Period.objects.quarters()
        .filter(deadline__lt=today, deadline__gt=today - datetime.timedelta(days=300))
        .order_by("-deadline")
        .first()
    )
    report_open(cluster=thai.inside, period=past)
    page = bso.get(reverse("dashboard-bso")).content.decode()
    row = page.split(f'data-period="{past.pk}"', 1)[1].split("</tr>", 1)[0]
    assert BADGE in row
    assert "Draft" in row
