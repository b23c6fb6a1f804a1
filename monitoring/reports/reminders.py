"""Daily reminders, as notifications: reports due soon or overdue (BSO staff), reports to review
(officers). Each reminder is a notification (notifications/), e-mailed at once or in the daily
digest as the user chose; at most one per report, kind and day (ReminderSent)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope
from clusters.models import Cluster
from monitoring.models import ReminderSent, Report
from monitoring.reports.notices import untranslated
from monitoring.reports.selectors import is_overdue
from notifications.models import Notification
from notifications.services import notification_rows, notifications_write
from scorecards.models import ClusterScorecard, Period

DUE_WITHIN = datetime.timedelta(days=7)
OVERDUE_LOOKBACK = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Item:
    cluster_id: int
    cluster: str
    period_id: int
    period: str
    deadline: datetime.date
    state: str
    overdue: bool = False  # monitoring.reports.selectors.is_overdue
    report_id: int | None = None  # None: not started
    state_msgid: str = ""  # the state untranslated, for the notification's reader


def due_items(user: User, today: datetime.date) -> list[Item]:
    """Reports of the user's clusters whose deadline is within a week or passed (up to a year
    ago) and that are not yet submitted: missing, draft or returned."""
    periods = Period.objects.filter(
        deadline__lte=today + DUE_WITHIN, deadline__gte=today - OVERDUE_LOOKBACK, ends_on__lt=today
    )
    scorecards = ClusterScorecard.objects.filter(
        cluster__in=clusters_in_scope(user).active(),
    ).select_related("cluster")
    done = set(
        Report.objects.filter(
            cluster__in=clusters_in_scope(user),
            state__in=[Report.State.SUBMITTED, Report.State.APPROVED],
        ).values_list("cluster_id", "period_id")
    )
    reports = {
        (r.cluster_id, r.period_id): r
        for r in Report.objects.filter(cluster__in=clusters_in_scope(user), period__in=periods)
    }
    items = []
    for period in periods:
        for card in scorecards:
            in_force = card.adopted_on <= period.ends_on and (
                card.until is None or card.until >= period.ends_on
            )
            key = (card.cluster_id, period.pk)
            if in_force and key not in done:
                report = reports.get(key)
                state = report.state if report else None
                items.append(
                    Item(
                        card.cluster_id,
                        card.cluster.name,
                        period.pk,
                        period.label,
                        period.deadline,
                        report.get_state_display() if report else _("Not started"),
                        is_overdue(state=state, deadline=period.deadline, today=today),
                        report.pk if report else None,
                        untranslated(report.get_state_display()) if report else "Not started",
                    )
                )
    return sorted(items, key=lambda i: (i.deadline, i.cluster))


def _review_items(user: User) -> list[Item]:
    reports = Report.objects.awaiting_review().filter(cluster__in=clusters_in_scope(user))
    return [
        Item(
            r.cluster_id,
            r.cluster.name,
            r.period_id,
            r.period.label,
            r.period.deadline,
            "",
            report_id=r.pk,
        )
        for r in reports.select_related("cluster", "period").order_by("period__deadline")
    ]


def _notification(user: User, kind: str, item: Item) -> Notification:
    if kind == ReminderSent.Kind.REVIEW:
        notice = Notification.Kind.REVIEW
    else:
        notice = Notification.Kind.OVERDUE if item.overdue else Notification.Kind.DUE
    if item.report_id:
        about = Report(pk=item.report_id)
        link = reverse("report-detail", args=[item.report_id])
    else:  # not started: about the cluster, whose page starts it
        about = Cluster(pk=item.cluster_id)
        link = reverse("cluster-detail", args=[item.cluster_id])
    params = {"cluster": item.cluster, "period": item.period}
    if notice != Notification.Kind.REVIEW:
        params |= {"deadline": item.deadline.isoformat(), "state": item.state_msgid}
    (row,) = notification_rows(
        kind=notice, recipients=[user], about=about, link=link, params=params
    )
    return row


@transaction.atomic
def _send(user: User, kind: str, items: list[Item], today: datetime.date) -> bool:
    """Notify the user of the items not yet reminded today; e-mail follows on commit."""
    already = set(
        ReminderSent.objects.filter(recipient=user, kind=kind, sent_on=today).values_list(
            "cluster_id", "period_id"
        )
    )
    new = [i for i in items if (i.cluster_id, i.period_id) not in already]
    if not new:
        return False
    ReminderSent.objects.bulk_create(
        ReminderSent(
            recipient=user, cluster_id=i.cluster_id, period_id=i.period_id, kind=kind, sent_on=today
        )
        for i in new
    )
    notifications_write([_notification(user, kind, i) for i in new])
    return True


def reminders_send(*, today: datetime.date) -> int:
    """Today's reminders (none twice the same day); return how many people were notified."""
    sent = 0
    active = User.objects.filter(is_active=True)
    for user in active.filter(role=Role.BSO_STAFF):
        sent += _send(user, ReminderSent.Kind.DUE, due_items(user, today), today)
    for user in active.filter(role=Role.PROGRAM_OFFICER):
        sent += _send(user, ReminderSent.Kind.REVIEW, _review_items(user), today)
    return sent
