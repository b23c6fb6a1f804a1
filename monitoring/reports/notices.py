"""Who hears of what happens to a report: the notifications of the review and the reminders.

Recipients come from accounts.scopes: the program officers in scope hear of a submission;
the BSO staff of the cluster hear of a return, an approval, a reopening, and of a report due
or overdue. A ministry or regional body hears of none (they see approved reports only).
"""

from django.utils import translation

from accounts.scopes import bso_staff_of_cluster, officers_of_cluster
from monitoring.models import Report, ReportTransition
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
        params=report_params(
            report, by=user.get_full_name() or user.get_username(), comment=comment
        ),
    )
