"""Each event of a report notifies exactly the people it concerns, in its transaction."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from monitoring.reports.services import report_transition
from notifications.models import Notification
from notifications.texts import text


def recipients(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_a_submission_notifies_the_officers_in_scope_only(move):
    report = move("submit")
    assert recipients() == ["officer"]  # not the ministry, the region, the outside officer
    (row,) = Notification.objects.all()
    assert row.kind == "submitted" and row.about == report
    assert row.link == report.get_absolute_url()
    assert text(row) == f"{row.params['by']} submitted the report of Mendoza wine, 2025-Q1."
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]


@pytest.mark.parametrize(
    ("actions", "kind"),
    [
        (["submit", "return"], "returned"),
        (["submit", "approve"], "approved"),
        (["submit", "approve", "reopen"], "reopened"),
    ],
)
def test_reviews_notify_the_bso_staff_of_the_cluster_only(move, actions, kind):
    for action in actions:
        reviewer = action != "submit"
        move(action, by="program_officer" if reviewer else "bso_staff", comment="Check Q1")
    # the active staff of the supporting BSO; not the inactive one, nor the other BSO's
    assert recipients(kind) == ["bso"]
    (row,) = Notification.objects.filter(kind=kind)
    if kind != "approved":
        assert text(row).endswith(": Check Q1")


def test_a_ministry_never_hears_of_a_report(move):
    move("submit")
    move("return", by="program_officer", comment="Fix it")
    move("submit")
    move("approve", by="program_officer")
    move("reopen", by="admin", comment="Late correction")
    nobody = {"ministry", "regional", "admin", "outside-staff", "outside-officer", "gone-staff"}
    assert set(recipients()) & nobody == set()
    assert set(recipients()) == {"bso", "officer"}


def test_a_rolled_back_transition_writes_no_notification_and_sends_no_mail(
    people, move, django_capture_on_commit_callbacks
):
    move("submit")
    Notification.objects.all().delete()
    User.objects.update(unread_notifications=0)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        report_transition(
            report=people.report, action="approve", user=people.users["program_officer"]
        )
        assert recipients() == ["bso"]  # written inside the transaction...
        raise RuntimeError("something after the transition fails")
    assert callbacks == []
    assert recipients() == []  # ...and gone with it
    assert mail.outbox == []
    assert User.objects.get(username="bso").unread_notifications == 0


def test_a_refused_transition_notifies_nobody(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        report_transition(report=people.report, action="submit", user=people.users["bso_staff"])
    assert recipients() == [] and mail.outbox == []


def test_the_unread_count_follows_the_rows(move):
    move("submit")
    move("return", by="program_officer", comment="Fix it")
    move("submit")
    assert User.objects.get(username="officer").unread_notifications == 2
    assert User.objects.get(username="bso").unread_notifications == 1


def test_the_command_sends_due_reminders_by_hand(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", "--date", "2025-04-25")
    (row,) = Notification.objects.filter(kind="due")
    assert row.recipient.username == "bso" and row.about == people.report
    assert text(row) == "The report of Mendoza wine, 2025-Q1 is due on 30 Apr 2025 (Draft)."
    assert [m.to for m in mail.outbox] == [["bso@example.org"]]
    # the same day again: nothing new
    call_command("send_due_reminders", "--date", "2025-04-25")
    assert Notification.objects.filter(kind="due").count() == 1


def test_overdue_and_not_started_reports_are_reminded(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", "--date", "2025-08-02")
    rows = Notification.objects.filter(recipient__username="bso").order_by("params__period")
    assert [(r.kind, r.params["period"], r.params["state"]) for r in rows] == [
        ("overdue", "2025-Q1", "Draft"),
        ("overdue", "2025-Q2", "Not started"),
    ]
    assert rows[1].about == people.inside  # no report yet: about the cluster, linked to it
    assert rows[1].link == people.inside.get_absolute_url()
    (message,) = mail.outbox  # one e-mail for both
    assert "2025-Q1" in message.body and "2025-Q2" in message.body


def test_a_notification_reads_in_the_readers_language(people):
    from django.utils import translation

    from notifications.services import notify

    (row,) = notify(
        kind="overdue",
        recipients=[people.users["bso_staff"]],
        about=people.report,
        params={
            "cluster": "Mendoza wine",
            "period": "2025-Q1",
            "deadline": datetime.date(2025, 4, 30).isoformat(),
            "state": "Draft",
        },
    )
    with translation.override("es"):
        assert text(row) == (
            "El informe de Mendoza wine, 2025-Q1 venció el 30 abr 2025 y está atrasado (Borrador)."
        )
