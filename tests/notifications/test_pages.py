"""The bell on every page, the inbox page, marking read, and the e-mail choice on the profile."""

import re

import pytest
from django.urls import reverse

from accounts.models import NotificationEmail, User
from notifications.models import Notification
from notifications.services import notify


def bell(response) -> str:
    match = re.search(r'class="bell"[^>]*data-unread="(\d+)"', response.content.decode())
    assert match, "no bell in the header"
    return match.group(1)


@pytest.fixture
def inbox(people):
    """Three notifications for the BSO staff member, one for the officer."""
    staff, officer = people.users["bso_staff"], people.users["program_officer"]
    for comment in ("one", "two", "three"):
        notify(
            kind="returned",
            recipients=[staff],
            about=people.report,
            link=people.report.get_absolute_url(),
            params={"by": "Ana", "cluster": "Mendoza wine", "period": "2025-Q1"}
            | {"comment": comment},
        )
    notify(kind="submitted", recipients=[officer], about=people.report, params={"by": "Luis"})
    return people


@pytest.mark.parametrize("page", ["home", "directory", "notification-list", "account"])
def test_the_bell_counts_the_unread_on_every_page(client, inbox, page):
    client.force_login(inbox.users["bso_staff"])
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert bell(response) == "3"
    assert '<span class="bell-count">3' in response.content.decode()


def test_the_bell_reads_the_users_row_and_costs_no_query(client, inbox):
    client.force_login(inbox.users["bso_staff"])
    Notification.objects.all().delete()  # the count is the user's row, read with the session
    User.objects.filter(username="bso").update(unread_notifications=7)
    assert bell(client.get(reverse("directory"))) == "7"


def test_the_list_shows_ones_own_newest_first(client, inbox):
    client.force_login(inbox.users["bso_staff"])
    body = client.get(reverse("notification-list")).content.decode()
    texts = re.findall(r"Ana returned the report of Mendoza wine, 2025-Q1: (\w+)", body)
    assert texts == ["three", "two", "one"]
    assert "Luis" not in body  # the officer's


def test_marking_one_and_all_read(client, inbox):
    client.force_login(inbox.users["bso_staff"])
    first = Notification.objects.filter(recipient__username="bso").first()
    response = client.post(reverse("notification-read", args=[first.pk]), follow=True)
    assert bell(response) == "2"
    assert Notification.objects.get(pk=first.pk).read_at is not None
    # twice changes nothing
    assert bell(client.post(reverse("notification-read", args=[first.pk]), follow=True)) == "2"

    response = client.post(reverse("notification-read-all"), follow=True)
    assert bell(response) == "0"
    assert "Notifications marked read: 2." in response.content.decode()
    assert not Notification.objects.filter(recipient__username="bso", read_at=None).exists()
    assert Notification.objects.filter(recipient__username="officer", read_at=None).count() == 1


def test_open_marks_read_and_goes_to_the_report(client, inbox):
    client.force_login(inbox.users["bso_staff"])
    first = Notification.objects.filter(recipient__username="bso").first()
    response = client.post(reverse("notification-read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == inbox.report.get_absolute_url()


def test_someone_elses_notification_answers_404(client, inbox):
    client.force_login(inbox.users["ministry"])
    theirs = Notification.objects.filter(recipient__username="bso").first()
    assert client.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_list_needs_a_signed_in_user(client):
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_has_bounded_queries(client, inbox, django_assert_max_num_queries):
    staff = inbox.users["bso_staff"]
    for n in range(40):
        notify(kind="approved", recipients=[staff], params={"by": f"P{n}", "cluster": "X"})
    client.force_login(staff)
    with django_assert_max_num_queries(5):  # session, user, count, page
        response = client.get(reverse("notification-list"))
    assert response.content.decode().count("data-notification=") == 30


def test_the_profile_sets_the_email_choice(client, people):
    user = people.users["bso_staff"]
    client.force_login(user)
    page = client.get(reverse("account")).content.decode()
    assert 'name="notification_email"' in page
    response = client.post(reverse("account"), {"notification_email": "daily"}, follow=True)
    assert "Your e-mail choice for notifications is saved." in response.content.decode()
    user.refresh_from_db()
    assert user.notification_email == NotificationEmail.DAILY

    bad = client.post(reverse("account"), {"notification_email": "hourly"})
    assert bad.status_code == 400
    assert 'aria-describedby="id_notification_email_helptext id_notification_email_error"' in (
        bad.content.decode()
    )


def test_pages_in_spanish(client, inbox):
    client.force_login(inbox.users["bso_staff"])
    response = client.get(reverse("notification-list"), HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert "Notificaciones" in body and "Marcar todas como leídas" in body
    assert "Ana devolvió el informe de Mendoza wine, 2025-Q1: three" in body
