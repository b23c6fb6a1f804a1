"""Who hears of what happens to a report: the notifications of the review and the reminders.

Recipients come from accounts.scopes: the program officers in scope hear of a submission
and of flags explained; the BSO staff of the cluster hear of a return, an approval, a
reopening, and of a report due or overdue; a comment on a value goes to the other side (BSO
staff's to the officers, a reviewer's to the BSO staff). A ministry or regional body hears of
none (they see approved reports only).
"""

from collections.abc import Iterable

from django.utils import translation
from django.utils.text import Truncator

from accounts.scopes import bso_staff_of_cluster, may_review, officers_of_cluster
from monitoring.models import Comment, Flag, Report, ReportTransition
from notifications.models import Notification
from notifications.services import notify

Action = ReportTransition.Action

KIND_OF_ACTION = {
    Action.SUBMIT: Notification.Kind.SUBMITTED,
    Action.RETURN: Notification.Kind.RETURNED,
    Action.APPROVE: Notification.Kind.APPROVED,
    Action.REOPEN: Notification.Kind.REOPENED,
}


def report_params(report: Report, **more) -> dict:
    return {"cluster": report.cluster.name, "period": report.period.label, **more}


def untranslated(label) -> str:
    """A choice's label as its msgid: notifications translate it for their reader."""
    with translation.override(None):
        return str(label)


def _by(user) -> str:
    return user.get_full_name() or user.get_username()


# A notification quotes the start of a comment; the thread has it all.
QUOTED_CHARACTERS = 200


def report_transition_notify(*, report: Report, action: str, user, comment: str = "") -> None:
    """Notify, in the transition's transaction, the people a transition concerns."""
    if action == Action.SUBMIT:
        recipients = officers_of_cluster(report.cluster_id)
    else:
        recipients = bso_staff_of_cluster(report.cluster_id)
    notify(
        kind=KIND_OF_ACTION[action],
        recipients=recipients.exclude(pk=user.pk),
        about=report,
        link=report.get_absolute_url(),
        params=report_params(report, by=_by(user), comment=comment),
    )


def comment_notify(*, comment: Comment, user) -> None:
    """Notify the other side of a value's thread, in the comment's transaction: a reviewer's
    comment goes to the cluster's BSO staff, BSO staff's to the cluster's program officers."""
    measurement = comment.measurement
    report = measurement.report
    if may_review(user):
        recipients = bso_staff_of_cluster(report.cluster_id)
    else:
        recipients = officers_of_cluster(report.cluster_id)
    notify(
        kind=Notification.Kind.COMMENT,
        recipients=recipients.exclude(pk=user.pk),
        about=report,
        link=f"{report.get_absolute_url()}#comments-{measurement.pk}",
        params=report_params(
            report,
            by=_by(user),
            kpi=measurement.kpi.name,
            comment=Truncator(comment.text).chars(QUOTED_CHARACTERS),
        ),
    )


def flags_explained_notify(*, report: Report, flags: Iterable[Flag], user) -> None:
    """Tell the cluster's program officers, in the explanation's transaction, that flags of a
    report's values were explained (one notification for the values explained at once)."""
    kpis = list(dict.fromkeys(f.measurement.kpi.name for f in flags))
    if not kpis:
        return
    notify(
        kind=Notification.Kind.EXPLAINED,
        recipients=officers_of_cluster(report.cluster_id).exclude(pk=user.pk),
        about=report,
        link=f"{report.get_absolute_url()}#flags",
        params=report_params(report, by=_by(user), kpi="; ".join(kpis)),
    )
