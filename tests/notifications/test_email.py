"""E-mail: at once (a task queued on commit) or in the daily digest, as each user chose."""

from django.core import mail

from accounts.models import NotificationEmail, User
from notifications.models import Notification
from notifications.tasks import send_notification_digests


def test_at_once_one_email_per_event_after_commit(move):
    move("submit")
    (message,) = mail.outbox
    assert message.to == ["officer@example.org"]
    assert message.subject == "Clusterboard: report submitted"
    assert "submitted the report of Mendoza wine, 2025-Q1." in message.body
    assert Notification.objects.get().emailed_at is not None


def test_a_daily_digest_gathers_the_days_notifications(people, move):
    User.objects.filter(username="bso").update(notification_email=NotificationEmail.DAILY)
    move("submit")
    move("return", by="program_officer", comment="Fix it")
    move("submit")
    move("approve", by="program_officer")
    assert [m.to for m in mail.outbox] == [["officer@example.org"]] * 2  # the officer: at once
    mail.outbox.clear()

    assert send_notification_digests.delay().get() == 1
    (digest,) = mail.outbox
    assert digest.to == ["bso@example.org"]
    assert digest.subject == "Clusterboard: 2 notifications"
    assert "returned the report of Mendoza wine, 2025-Q1: Fix it" in digest.body
    assert "approved the report of Mendoza wine, 2025-Q1." in digest.body

    # each notification is e-mailed once
    assert send_notification_digests.delay().get() == 0
    assert len(mail.outbox) == 1


def test_nobody_without_an_address_is_mailed_but_the_inbox_holds_it(people, move):
    User.objects.filter(username="officer").update(email="")
    move("submit")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient__username="officer").count() == 1


def test_replayed_events_reach_the_inbox_without_mail(people, move):
    from notifications.services import notifications_quiet

    with notifications_quiet(read=True):
        move("submit")
    with notifications_quiet():
        move("return", by="program_officer", comment="Fix it")
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at=None).count() == 0
    assert User.objects.get(username="officer").unread_notifications == 0  # written read
    assert User.objects.get(username="bso").unread_notifications == 1
    assert send_notification_digests.delay().get() == 0


def test_an_email_is_written_in_the_language_its_reader_chose(people, move, client):
    """The officer switched to Portuguese: their e-mail is in Portuguese; the switch is kept on
    their row (the site's language otherwise)."""
    officer = people.users["program_officer"]
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    officer.refresh_from_db()
    assert officer.language == "pt"

    move("submit")

    (message,) = mail.outbox
    assert message.to == ["officer@example.org"]
    assert message.subject == "Clusterboard: relatório enviado"
    assert "enviou o relatório de Mendoza wine, 2025-Q1." in message.body


def test_an_anonymous_switch_keeps_nothing(client, people):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert not User.objects.exclude(language="").exists()
