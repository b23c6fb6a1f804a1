"""Daily reminders: reports due within a week or overdue, reports waiting for review; once a day.

Reminders are notifications now (notifications/): written by the job, e-mailed by a task queued
on commit, so each test runs the commit callbacks (the `emails` fixture)."""

import datetime

import pytest
from django.core import mail

from monitoring.reports.reminders import reminders_send
from monitoring.reports.services import report_record_values, report_transition
from monitoring.tasks import send_report_reminders
from tests.reports import complete_rows


@pytest.fixture
def emails(thai, django_capture_on_commit_callbacks):
    for user in thai.users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    thai.capture = django_capture_on_commit_callbacks
    return thai


@pytest.fixture
def remind(emails):
    """reminders_send, then what its commit queues (the e-mails)."""

    def run(day):
        with emails.capture(execute=True):
            return reminders_send(today=day)

    return run


def fill(world):
    rows = complete_rows(world.report)
    report_record_values(report=world.report, rows=rows, user=world.users["bso_staff"])


def test_bso_staff_hear_about_a_report_due_within_a_week(remind):
    # 2025-Q1 ends 31 March, deadline 30 April; on 25 April it is due in 5 days
    assert remind(datetime.date(2025, 4, 25)) == 1
    (message,) = mail.outbox
    assert message.to == ["bso@example.org"]
    assert "Mendoza wine, 2025-Q1" in message.body
    assert "Draft" in message.body


def test_nothing_is_due_long_before_the_deadline(remind):
    assert remind(datetime.date(2025, 4, 10)) == 0
    assert mail.outbox == []


def test_overdue_reports_are_reminded_too_and_missing_ones_count(remind):
    # on 2 August: Q1 (deadline 30 April) overdue as draft, Q2 (deadline 30 July) overdue, missing
    remind(datetime.date(2025, 8, 2))
    body = mail.outbox[0].body
    assert "Mendoza wine, 2025-Q1" in body
    assert "Mendoza wine, 2025-Q2" in body
    assert "Not started" in body


def test_a_second_run_the_same_day_sends_nothing(remind):
    day = datetime.date(2025, 4, 25)
    remind(day)
    assert remind(day) == 0
    assert len(mail.outbox) == 1
    remind(day + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_officers_hear_about_submitted_reports_and_staff_stop_hearing(emails):
    fill(emails)
    with emails.capture(execute=True):
        report_transition(report=emails.report, action="submit", user=emails.users["bso_staff"])
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]  # at once (notifications)
    mail.outbox.clear()
    with emails.capture(execute=True):
        send_report_reminders.delay("2025-04-25")
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert "waiting for your review" in mail.outbox[0].subject
