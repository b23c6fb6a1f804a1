"""Daily reminders: reports due within a week or overdue, reports waiting for review; once a day."""

import datetime

import pytest
from django.core import mail

from monitoring.reports.reminders import reminders_send
from monitoring.reports.services import report_record_values, report_transition
from monitoring.tasks import send_report_reminders
from tests.reports import complete_rows


@pytest.fixture
def emails(thai):
    for user in thai.users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return thai


def fill(world):
    rows = complete_rows(world.report)
    report_record_values(report=world.report, rows=rows, user=world.users["bso_staff"])


def test_bso_staff_hear_about_a_report_due_within_a_week(emails):
    # 2025-Q1 ends 31 March, deadline 30 April; on 25 April it is due in 5 days
    assert reminders_send(today=datetime.date(2025, 4, 25)) == 1
    (message,) = mail.outbox
    assert message.to == ["bso@example.org"]
    assert "Mendoza wine, 2025-Q1" in message.body
    assert "Draft" in message.body


def test_nothing_is_due_long_before_the_deadline(emails):
    assert reminders_send(today=datetime.date(2025, 4, 10)) == 0
    assert mail.outbox == []


def test_overdue_reports_are_reminded_too_and_missing_ones_count(emails):
    # on 2 August: Q1 (deadline 30 April) overdue as draft, Q2 (deadline 30 July) overdue, missing
    reminders_send(today=datetime.date(2025, 8, 2))
    body = mail.outbox[0].body
    assert "Mendoza wine, 2025-Q1" in body
    assert "Mendoza wine, 2025-Q2" in body
    assert "Not started" in body


def test_a_second_run_the_same_day_sends_nothing(emails):
    day = datetime.date(2025, 4, 25)
    reminders_send(today=day)
    assert reminders_send(today=day) == 0
    assert len(mail.outbox) == 1
    reminders_send(today=day + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_officers_hear_about_submitted_reports_and_staff_stop_hearing(emails):
    fill(emails)
    report_transition(report=emails.report, action="submit", user=emails.users["bso_staff"])
    send_report_reminders.delay("2025-04-25")
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert "waiting for your review" in mail.outbox[0].subject
