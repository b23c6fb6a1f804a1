"""GET /api/v1/notifications/: one's own only; marking one or all read."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


@pytest.fixture
def inbox(people):
    for role in ("bso_staff", "program_officer", "ministry"):
        notify(
            kind="approved",
            recipients=[people.users[role]],
            about=people.report,
            link=people.report.get_absolute_url(),
            params={"by": "Ana", "cluster": "Mendoza wine", "period": "2025-Q1"},
        )
    return people


def test_the_list_holds_ones_own(api_client, inbox):
    api_client.force_authenticate(inbox.users["bso_staff"])
    body = api_client.get(reverse("api:notification-list")).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["kind"] == "approved"
    assert row["text"] == "Ana approved the report of Mendoza wine, 2025-Q1."
    assert row["about_type"] == "report" and row["object_id"] == inbox.report.pk
    assert row["link"] == inbox.report.get_absolute_url()
    assert row["read"] is False and row["read_at"] is None


def test_marking_read_through_the_api(api_client, inbox):
    user = inbox.users["bso_staff"]
    api_client.force_authenticate(user)
    mine = Notification.objects.get(recipient=user)
    response = api_client.post(reverse("api:notification-read", args=[mine.pk]))
    assert response.status_code == 200 and response.json()["read"] is True
    user.refresh_from_db()
    assert user.unread_notifications == 0

    notify(kind="returned", recipients=[user], params={"by": "A", "comment": "x"})
    response = api_client.post(reverse("api:notification-read-all"))
    assert response.json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()


def test_someone_elses_answers_404(api_client, inbox):
    api_client.force_authenticate(inbox.users["bso_staff"])
    theirs = Notification.objects.get(recipient=inbox.users["ministry"])
    assert api_client.get(reverse("api:notification-detail", args=[theirs.pk])).status_code == 404
    read = api_client.post(reverse("api:notification-read", args=[theirs.pk]))
    assert read.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_gets_401(api_client, inbox):
    assert api_client.get(reverse("api:notification-list")).status_code == 401
    assert api_client.post(reverse("api:notification-read-all")).status_code == 401


def test_the_list_has_bounded_queries(api_client, inbox, django_assert_max_num_queries):
    user = inbox.users["bso_staff"]
    for n in range(30):
        notify(kind="approved", recipients=[user], about=inbox.report, params={"by": f"P{n}"})
    api_client.force_authenticate(user)
    with django_assert_max_num_queries(3):  # count, page (with content types)
        response = api_client.get(reverse("api:notification-list"))
    assert response.json()["count"] == 31
