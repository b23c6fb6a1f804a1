"""Daily e-mail reminders: reports due soon or overdue (BSO staff), reports to review (officers)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope
from monitoring.models import ReminderSent, Report
from monitoring.reports.selectors import is_overdue
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
                    )
                )
    return sorted(items, key=lambda i: (i.deadline, i.cluster))


def _review_items(user: User) -> list[Item]:
    reports = Report.objects.awaiting_review().filter(cluster__in=clusters_in_scope(user))
    return [
        Item(r.cluster_id, r.cluster.name, r.period_id, r.period.label, r.period.deadline, "")
        for r in reports.select_related("cluster", "period").order_by("period__deadline")
    ]


@transaction.atomic
def _send(user: User, kind: str, items: list[Item], today: datetime.date) -> bool:
    already = set(
        ReminderSent.objects.filter(recipient=user, kind=kind, sent_on=today).values_list(
            "cluster_id", "period_id"
        )
    )
    new = [i for i in items if (i.cluster_id, i.period_id) not in already]
    if not new or not user.email:
        return False
    ReminderSent.objects.bulk_create(
        ReminderSent(
            recipient=user, cluster_id=i.cluster_id, period_id=i.period_id, kind=kind, sent_on=today
        )
        for i in new
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "items": new, "kind": kind, "today": today}
        subject = (
            _("Clusterboard: %(n)s report(s) due")
            if kind == ReminderSent.Kind.DUE
            else _("Clusterboard: %(n)s report(s) waiting for your review")
        ) % {"n": len(new)}
        body = render_to_string("monitoring/email/reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def reminders_send(*, today: datetime.date) -> int:
    """Send today's reminders (none twice the same day); return how many e-mails went out."""
    sent = 0
    active = User.objects.filter(is_active=True).exclude(email="")
    for user in active.filter(role=Role.BSO_STAFF):
        sent += _send(user, ReminderSent.Kind.DUE, due_items(user, today), today)
    for user in active.filter(role=Role.PROGRAM_OFFICER):
        sent += _send(user, ReminderSent.Kind.REVIEW, _review_items(user), today)
    return sent
