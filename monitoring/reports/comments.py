"""Writes of a value's comment thread (DESIGN.md "Checks at entry, comments and notifications").

A value's thread is between the cluster's BSO staff and its reviewers (program officers and
administrators), all in scope. Who reads a thread is who reads the value
(accounts.scopes.scope_reports: ministries and regional bodies read approved reports only), so
the pages and the API take the value from that scope and these services check the rest: only
BSO staff and reviewers of the value's cluster write. A return (or a reopening) that names
values opens a thread on each with the reviewer's reason (`comments_open`).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, may_review, may_write_field_data
from core.errors import PermissionDenied
from monitoring.models import MAX_COMMENT, Comment, Measurement, Report, ReportTransition
from monitoring.reports.notices import comment_notify


def may_comment(user) -> bool:
    """The roles that write in a value's thread (in their scope): BSO staff and reviewers."""
    return may_write_field_data(user) or may_review(user)


def _require_commenter(user, report: Report) -> None:
    if not may_comment(user):
        raise PermissionDenied(_("Only BSO staff and reviewers comment on report values."))
    if not clusters_in_scope(user).filter(pk=report.cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


def clean_comment(text) -> str:
    text = "" if text is None else str(text).strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"text": _("Keep the comment under %(n)s characters.") % {"n": MAX_COMMENT}}
        )
    return text


@transaction.atomic
def comment_post(*, measurement: Measurement, text: str, user) -> Comment:
    """Add a comment to a value's thread; the other side hears of it (notices.comment_notify)."""
    measurement = Measurement.objects.select_related(
        "report__cluster", "report__period", "kpi"
    ).get(pk=measurement.pk)
    _require_commenter(user, measurement.report)
    comment = Comment(measurement=measurement, author=user, text=clean_comment(text))
    comment.full_clean()
    comment.save()
    comment_notify(comment=comment, user=user)
    return comment


def comments_open(
    *, report: Report, transition: ReportTransition, measurement_ids: Iterable[int]
) -> list[Comment]:
    """The reviewer's reason for a return (or reopening) as the first comment of each value it
    names; called inside the transition's transaction, whose notice tells the cluster."""
    try:
        ids = sorted({int(i) for i in measurement_ids})
    except (TypeError, ValueError):
        raise ValidationError({"values": _("Name only values of this report.")}) from None
    if not ids:
        return []
    found = list(Measurement.objects.filter(report=report, pk__in=ids).order_by("kpi__code"))
    if len(found) != len(ids):
        raise ValidationError({"values": _("Name only values of this report.")})
    comments = [
        Comment(
            measurement=m,
            author=transition.by,
            text=transition.comment,
            transition=transition,
            created_at=transition.at,
        )
        for m in found
    ]
    for comment in comments:
        comment.full_clean(exclude=["measurement", "author", "transition"])
    return Comment.objects.bulk_create(comments)
