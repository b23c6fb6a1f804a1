"""Read queries for reports and their values."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from monitoring.models import (
    Comment,
    Flag,
    Measurement,
    Report,
    ReportTransition,
    flag_message,
)
from scorecards.models import Period


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("cluster", "period", "scorecard")


def _comment_count() -> Coalesce:
    """The number of comments in a value's thread (a subquery on the value's row)."""
    per_value = (
        Comment.objects.filter(measurement=OuterRef("pk"))
        .order_by()
        .values("measurement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_value), 0)


def comment_thread() -> QuerySet[Comment]:
    """Comments, oldest first, with their author and the review step that wrote them."""
    return Comment.objects.select_related("author", "transition").order_by(
        "measurement", "created_at", "pk"
    )


def report_detail() -> QuerySet[Report]:
    """Reports with their values (each with its KPI, flags, comment thread and `comment_count`)
    and review trail prefetched."""
    return report_list().prefetch_related(
        Prefetch(
            "measurements",
            Measurement.objects.select_related("kpi")
            .annotate(comment_count=_comment_count())
            .prefetch_related(
                Prefetch("flags", Flag.objects.select_related("explained_by")),
                Prefetch("comments", comment_thread()),
                "splits",
            )
            .order_by("kpi__code"),
        ),
        Prefetch("transitions", ReportTransition.objects.select_related("by")),
    )


def is_overdue(*, state: str | None, deadline: datetime.date, today: datetime.date) -> bool:
    """The one rule of "overdue": the period's reporting deadline has passed and the report is
    still a draft, or not started (state None). A submitted, approved or returned report is
    not overdue: it was sent in time, or it waits on a reviewer's comment."""
    return deadline < today and state in (None, Report.State.DRAFT)


def mark_overdue(reports: Iterable[Report], *, today: datetime.date) -> None:
    """Set `overdue` on each report (its period already read), for the pages' state badge."""
    for report in reports:
        report.overdue = is_overdue(
            state=report.state, deadline=report.period.deadline, today=today
        )


FLAG_HISTORY_ROWS = 100


@dataclass(frozen=True)
class FlagEvent:
    """One change of a value's flag, as its history page shows it."""

    when: datetime.datetime
    who: str
    kind: str  # "+" raised, "~" changed (numbers or explanation), "-" cleared
    rule: str
    message: str
    explanation: str


def flag_history(*, measurement_id: int) -> list[FlagEvent]:
    """The value's flags over time, newest first (the latest FLAG_HISTORY_ROWS), in one query:
    raised, re-numbered or explained, cleared when a change of the value no longer broke the
    rule."""
    records = (
        Flag.history.filter(measurement_id=measurement_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:FLAG_HISTORY_ROWS]
    )
    return [
        FlagEvent(
            when=r.history_date,
            who=(r.history_user.get_full_name() or r.history_user.username)
            if r.history_user
            else "",
            kind=r.history_type,
            rule=str(Flag.Rule(r.rule).label),
            message=flag_message(r.rule, r.numbers),
            explanation=r.explanation,
        )
        for r in records
    ]


def measurement_list() -> QuerySet[Measurement]:
    """Values with their report, KPI, flags, parts and `comment_count`."""
    return (
        Measurement.objects.select_related("report", "kpi")
        .annotate(comment_count=_comment_count())
        .prefetch_related("flags", "splits")
    )


# --- Pages: scorecard, report entry, review queue -------------------------------------------


def previous_measurements(*, report: Report) -> QuerySet[Measurement]:
    """The values of the same cluster's report for the period before this one (the previous
    quarter; the previous year for a year report), with their report, in one query."""
    period = report.period
    year, quarter = period.previous_quarter_key() if period.is_quarter else (period.year - 1, 0)
    return Measurement.objects.filter(
        report__cluster_id=report.cluster_id,
        report__period__year=year,
        report__period__quarter=quarter,
    ).select_related("report")


def cluster_reports(*, cluster_id: int) -> QuerySet[Report]:
    """A cluster's reports, latest period first (a quarter before the year that ends with it)."""
    return (
        Report.objects.filter(cluster_id=cluster_id)
        .select_related("period")
        .order_by("-period__ends_on", "-period__quarter")
    )


def cluster_has_report(*, cluster_id: int, period_id: int) -> bool:
    return Report.objects.filter(cluster_id=cluster_id, period_id=period_id).exists()


def latest_ended_quarter(*, today: datetime.date) -> Period | None:
    return Period.objects.quarters().filter(ends_on__lt=today).order_by("-ends_on").first()


def period_choices() -> QuerySet[Period]:
    """Every period, latest first, for a period picker."""
    return Period.objects.order_by("-year", "-quarter")


def review_queue() -> QuerySet[Report]:
    """Reports waiting for review, the longest-waiting first. Each carries `submitted_at` and
    `submissions` (its submit transitions, latest first, with who submitted), `flag_count`
    (its values' data-quality flags, each explained before it was submitted), and
    `comment_count` and `commented_values` (the comments on its values, and on how many)."""
    submits = ReportTransition.objects.filter(action=ReportTransition.Action.SUBMIT)
    latest_submit = submits.filter(report=OuterRef("pk")).order_by("-at", "-id").values("at")[:1]
    flags = (
        Flag.objects.filter(measurement__report=OuterRef("pk"))
        .order_by()
        .values("measurement__report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    comments = (
        Comment.objects.filter(measurement__report=OuterRef("pk"))
        .order_by()
        .values("measurement__report")
        .annotate(n=Count("pk"), n_values=Count("measurement", distinct=True))
    )
    return (
        Report.objects.awaiting_review()
        .select_related("cluster", "period")
        .annotate(submitted_at=Subquery(latest_submit))
        .annotate(flag_count=Coalesce(Subquery(flags), 0))
        .annotate(
            comment_count=Coalesce(Subquery(comments.values("n")), 0),
            commented_values=Coalesce(Subquery(comments.values("n_values")), 0),
        )
        .prefetch_related(
            Prefetch(
                "transitions",
                submits.select_related("by").order_by("-at", "-id"),
                to_attr="submissions",
            )
        )
        .order_by("submitted_at", "pk")
    )


REVIEW_QUEUE_HEADERS = [
    gettext_lazy("Cluster"),
    gettext_lazy("Period"),
    gettext_lazy("Submitted"),
    gettext_lazy("Submitted by"),
]


def review_queue_rows(reports: Iterable[Report]) -> Iterator[list]:
    """Rows of review_queue() (already scoped), as the page shows them: the latest submission's
    time (local) and who made it."""
    for report in reports:
        submission = report.submissions[0] if report.submissions else None
        yield [
            report.cluster.name,
            report.period.label,
            timezone.localtime(submission.at) if submission else None,
            (submission.by.get_full_name() or submission.by.username) if submission else None,
        ]
