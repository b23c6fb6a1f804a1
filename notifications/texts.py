"""What a notification says, in the reader's language (the row keeps only its parameters)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from notifications.models import Notification

Kind = Notification.Kind

# msgids, translated for the reader when shown
TEXTS = {
    Kind.SUBMITTED: gettext_noop("%(by)s submitted the report of %(cluster)s, %(period)s."),
    Kind.RETURNED: gettext_noop(
        "%(by)s returned the report of %(cluster)s, %(period)s: %(comment)s"
    ),
    Kind.APPROVED: gettext_noop("%(by)s approved the report of %(cluster)s, %(period)s."),
    Kind.REOPENED: gettext_noop(
        "%(by)s reopened the report of %(cluster)s, %(period)s: %(comment)s"
    ),
    Kind.DUE: gettext_noop(
        "The report of %(cluster)s, %(period)s is due on %(deadline)s (%(state)s)."
    ),
    Kind.OVERDUE: gettext_noop(
        "The report of %(cluster)s, %(period)s was due on %(deadline)s and is overdue (%(state)s)."
    ),
    Kind.REVIEW: gettext_noop("The report of %(cluster)s, %(period)s waits for your review."),
    Kind.EXPLAINED: gettext_noop(
        "%(by)s explained the flags of %(kpi)s in the report of %(cluster)s, %(period)s."
    ),
    Kind.COMMENT: gettext_noop(
        "%(by)s commented on %(kpi)s in the report of %(cluster)s, %(period)s: %(comment)s"
    ),
}


def _params(params: dict) -> dict:
    shown = {
        "by": "",
        "cluster": "",
        "period": "",
        "comment": "",
        "state": "",
        "kpi": "",
        **params,
    }
    if shown.get("deadline"):
        shown["deadline"] = date_format(datetime.date.fromisoformat(shown["deadline"]))
    if shown["state"]:
        # kept untranslated (a msgid of the catalogue), translated for the reader
        shown["state"] = _(shown["state"])
    return shown


def text(notification: Notification) -> str:
    return _(TEXTS[notification.kind]) % _params(notification.params)


def subject(notifications: list[Notification]) -> str:
    """The e-mail's subject for these notifications to one person."""
    n = len(notifications)
    kinds = {x.kind for x in notifications}
    if kinds <= {Kind.DUE, Kind.OVERDUE}:
        return _("Clusterboard: %(n)s report(s) due") % {"n": n}
    if kinds == {Kind.REVIEW}:
        return _("Clusterboard: %(n)s report(s) waiting for your review") % {"n": n}
    if n == 1:
        return _("Clusterboard: %(kind)s") % {"kind": notifications[0].get_kind_display().lower()}
    return ngettext("Clusterboard: %(n)s notification", "Clusterboard: %(n)s notifications", n) % {
        "n": n
    }
