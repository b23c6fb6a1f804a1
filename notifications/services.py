"""Writing notifications (in the event's transaction), reading them, and e-mailing them.

Rows are written by the caller's transaction, so an event rolled back leaves no notification
and sends no e-mail: the e-mail task is queued on commit. The recipient's unread count
(User.unread_notifications, the header's bell) moves in the same transaction; a user's row
is locked before their notifications change, so that concurrent writes and reads keep it exact.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import NotificationEmail, User
from notifications.models import Notification
from notifications.texts import subject, text


def notification_rows(
    *, kind: str, recipients: Iterable[User], about: models.Model | None, link: str, params: dict
) -> list[Notification]:
    """Unsaved rows of one event, one per recipient (each recipient once)."""
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    seen: dict[int, User] = {u.pk: u for u in recipients}
    return [
        Notification(
            recipient=user,
            kind=kind,
            content_type=content_type,
            object_id=about.pk if about is not None else None,
            link=link,
            params=params,
        )
        for user in seen.values()
    ]


# Set by `notifications_quiet`: rows are written as already e-mailed (and read, if asked).
_quiet: ContextVar[dict | None] = ContextVar("notifications_quiet", default=None)


@contextmanager
def notifications_quiet(*, read: bool = False) -> Iterator[None]:
    """Events replayed rather than happening (the demo's seed writing months of reports): their
    notifications go to the inboxes, marked e-mailed, so nobody is mailed; read with `read`."""
    token = _quiet.set({"read": read})
    try:
        yield
    finally:
        _quiet.reset(token)


def notifications_write(rows: list[Notification]) -> list[Notification]:
    """Save the rows in the caller's transaction, count them unread, and e-mail them after
    commit to the recipients who chose "at once" (the others get them in the daily digest)."""
    if not rows:
        return []
    quiet = _quiet.get()
    if quiet is not None:
        now = timezone.now()
        for row in rows:
            row.emailed_at = now
            row.read_at = now if quiet["read"] else None
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        per_user = Counter(row.recipient_id for row in created if row.read_at is None)
        for user_id, count in sorted(per_user.items()):  # always the same lock order
            User.objects.filter(pk=user_id).update(
                unread_notifications=F("unread_notifications") + count
            )
        if quiet is None:
            ids = [row.pk for row in created]
            transaction.on_commit(lambda: _queue_emails(ids), robust=True)
    return created


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    about: models.Model | None = None,
    link: str = "",
    params: dict | None = None,
) -> list[Notification]:
    """One event: a notification to each recipient (see notifications_write)."""
    rows = notification_rows(
        kind=kind, recipients=recipients, about=about, link=link, params=params or {}
    )
    return notifications_write(rows)


def _queue_emails(ids: list[int]) -> None:
    # Looked up by name (the task module imports this one); .delay() honours eager mode.
    current_app.tasks["notifications.tasks.send_notification_emails"].delay(ids)


# --- reading ---------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: User) -> bool:
    """Mark one of the user's notifications read; False when it already was."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    done = Notification.objects.filter(
        pk=notification.pk, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    if done:
        User.objects.filter(pk=user.pk, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )
        user.unread_notifications = max(user.unread_notifications - 1, 0)
    return bool(done)


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every notification of the user read; return how many were unread."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    done = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    user.unread_notifications = 0
    return done


# --- e-mail ----------------------------------------------------------------------------------


def _email(user: User, notifications: list[Notification]) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        lines = [
            {"text": text(n), "url": f"{settings.SITE_URL}{n.link}" if n.link else ""}
            for n in notifications
        ]
        body = render_to_string(
            "notifications/email/notifications.txt",
            {"user": user, "lines": lines, "inbox": f"{settings.SITE_URL}/notifications/"},
        )
        title = subject(notifications)
    send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _send(queryset) -> int:
    """E-mail the unsent notifications of the queryset, one e-mail per recipient; mark them.

    Rows another worker is sending are skipped (skip_locked): each row goes out once."""
    sent = 0
    with transaction.atomic():
        rows = list(
            queryset.filter(emailed_at__isnull=True, recipient__is_active=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("recipient_id", "created_at", "pk")
        )
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for row in rows:
            by_user[row.recipient_id].append(row)
        for items in by_user.values():
            _email(items[0].recipient, items)
            sent += 1
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(emailed_at=timezone.now())
    return sent


def emails_send_now(ids: list[int]) -> int:
    """E-mail these notifications to the recipients who chose "at once"; return e-mails sent."""
    return _send(
        Notification.objects.filter(
            pk__in=ids, recipient__notification_email=NotificationEmail.IMMEDIATE
        )
    )


def emails_send_digests(*, until=None) -> int:
    """The daily digest: each recipient who chose it gets one e-mail of their unsent
    notifications. Rows of "at once" recipients left unsent (a lost task) go out too."""
    until = until or timezone.now()
    return _send(Notification.objects.filter(created_at__lte=until))
