"""A comment thread per report value: who writes in it, a return that names values opens a
thread on each, and who hears of a comment and of a flag explained (issue 16, items 3 and 4)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from core.errors import PermissionDenied
from monitoring.models import Comment, Flag, Report
from monitoring.reports.checks import flag_explain, flags_explain
from monitoring.reports.comments import comment_post
from monitoring.reports.services import report_record_values, report_transition
from notifications.models import Notification
from notifications.texts import text
from scorecards.models import KPI, KPIChecks
from scorecards.services import kpi_checks_set
from tests.factories import UserFactory
from tests.reports import complete_rows

LEAN = "Number of companies adopting lean manufacturing processes"


def value(report, code):
    return report.measurements.select_related("kpi").get(kpi__code=code)


def recipients(kind):
    rows = Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def submitted(thai):
    """thai's Q1 report with every value entered, submitted by the BSO (its notice cleared)."""
    staff = thai.users["bso_staff"]
    report_record_values(report=thai.report, rows=complete_rows(thai.report), user=staff)
    thai.report = report_transition(report=thai.report, action="submit", user=staff)
    Notification.objects.all().delete()
    return thai


# --- writing in a thread ------------------------------------------------------------------------


def test_a_bso_comment_notifies_the_clusters_officers_only(thai):
    UserFactory(
        username="outside-officer", role=Role.PROGRAM_OFFICER, programs=[thai.other_program]
    )
    lean = value(thai.report, "thai-lean")

    comment = comment_post(
        measurement=lean, text="  Two firms merged in March.  ", user=thai.users["bso_staff"]
    )

    assert comment.text == "Two firms merged in March."  # trimmed
    # the officer of the cluster's program; never the ministry, the region or another program's
    assert recipients("comment") == ["officer"]
    (row,) = Notification.objects.filter(kind="comment")
    assert row.about == thai.report
    assert row.link == f"/reports/{thai.report.pk}/#comments-{lean.pk}"
    assert text(row) == (
        f"bso commented on {LEAN} in the report of Mendoza wine, 2025-Q1: "
        "Two firms merged in March."
    )


def test_a_reviewers_comment_notifies_the_clusters_bso_staff(thai):
    UserFactory(username="outside-staff", role=Role.BSO_STAFF, bso=thai.other_bso)
    comment_post(
        measurement=value(thai.report, "thai-lean"),
        text="Is 480 right?",
        user=thai.users["program_officer"],
    )
    assert recipients("comment") == ["bso"]


def test_a_long_comment_is_quoted_by_its_first_200_characters(thai):
    words = "word " * 100  # 500 characters
    comment_post(
        measurement=value(thai.report, "thai-lean"), text=words, user=thai.users["bso_staff"]
    )
    (row,) = Notification.objects.filter(kind="comment")
    assert len(row.params["comment"]) == 200 and row.params["comment"].endswith("…")


@pytest.mark.parametrize("role", ["ministry", "regional"])
def test_ministries_and_regional_bodies_do_not_write_in_a_thread(thai, role):
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.APPROVED)
    with pytest.raises(PermissionDenied):
        comment_post(measurement=value(thai.report, "thai-lean"), text="Hm.", user=thai.users[role])
    assert not Comment.objects.exists()


def test_bso_staff_do_not_write_in_the_thread_of_a_cluster_outside_their_scope(thai):
    outsider = UserFactory(username="outside-staff", role=Role.BSO_STAFF, bso=thai.other_bso)
    with pytest.raises(PermissionDenied):
        comment_post(measurement=value(thai.report, "thai-lean"), text="Hm.", user=outsider)
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_an_empty_comment_is_refused(thai):
    with pytest.raises(ValidationError) as refused:
        comment_post(
            measurement=value(thai.report, "thai-lean"), text="   ", user=thai.users["bso_staff"]
        )
    assert refused.value.message_dict == {"text": ["Write the comment."]}


# --- a return names the values it is about ------------------------------------------------------


def test_a_return_naming_two_values_opens_a_thread_on_each(submitted):
    lean = value(submitted.report, "thai-lean")
    turnover = value(submitted.report, "thai-staff-turnover")

    report_transition(
        report=submitted.report,
        action="return",
        user=submitted.users["program_officer"],
        comment="Check lean and turnover against Q4.",
        values=[lean.pk, turnover.pk],
    )

    comments = Comment.objects.order_by("measurement__kpi__code")
    assert [(c.measurement_id, c.author.username, c.text) for c in comments] == [
        (lean.pk, "officer", "Check lean and turnover against Q4."),
        (turnover.pk, "officer", "Check lean and turnover against Q4."),
    ]
    (transition,) = submitted.report.transitions.filter(action="return")
    assert {c.transition_id for c in comments} == {transition.pk}
    # the return's own notice tells the BSO; the threads it opened do not notify again
    assert recipients("returned") == ["bso"] and recipients("comment") == []


def test_a_return_naming_no_value_opens_no_thread(submitted):
    report_transition(
        report=submitted.report,
        action="return",
        user=submitted.users["program_officer"],
        comment="Fix it.",
    )
    assert not Comment.objects.exists()


def test_a_return_naming_a_value_of_another_report_is_refused_and_nothing_happens(submitted, thai):
    from monitoring.reports.services import report_open
    from scorecards.models import Period

    q2 = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))
    with pytest.raises(ValidationError) as refused:
        report_transition(
            report=submitted.report,
            action="return",
            user=submitted.users["program_officer"],
            comment="Fix it.",
            values=[value(q2, "thai-lean").pk],
        )
    assert refused.value.message_dict == {"values": ["Name only values of this report."]}
    assert Report.objects.get(pk=submitted.report.pk).state == Report.State.SUBMITTED
    assert not Comment.objects.exists()


def test_an_approval_names_no_values(submitted):
    with pytest.raises(ValidationError) as refused:
        report_transition(
            report=submitted.report,
            action="approve",
            user=submitted.users["program_officer"],
            values=[value(submitted.report, "thai-lean").pk],
        )
    assert "values" in refused.value.message_dict


# --- a flag explained ---------------------------------------------------------------------------


@pytest.fixture
def flagged(thai):
    """Lean at most 50 and turnover's numerator within its denominator; lean 480 and turnover
    7 / 5 entered: two flags."""
    KPIChecks.objects.create(kpi=KPI.objects.get(code="thai-lean"), maximum=Decimal(50))
    KPIChecks.objects.create(
        kpi=KPI.objects.get(code="thai-staff-turnover"), numerator_within_denominator=True
    )
    lean, turnover = value(thai.report, "thai-lean"), value(thai.report, "thai-staff-turnover")
    report_record_values(
        report=thai.report,
        rows={
            lean.kpi_id: {"value": "480"},
            turnover.kpi_id: {"numerator": "7", "denominator": "5"},
        },
        user=thai.users["bso_staff"],
    )
    assert Flag.objects.count() == 2
    return thai


def test_explaining_a_flag_notifies_the_clusters_officers(flagged):
    flag_explain(
        measurement=value(flagged.report, "thai-lean"),
        rule="maximum",
        explanation="Two firms merged.",
        user=flagged.users["bso_staff"],
    )
    assert recipients("explained") == ["officer"]
    (row,) = Notification.objects.filter(kind="explained")
    assert row.link == f"/reports/{flagged.report.pk}/#flags"
    assert text(row) == (
        f"bso explained the flags of {LEAN} in the report of Mendoza wine, 2025-Q1."
    )


def test_withdrawing_or_repeating_an_explanation_notifies_nobody(flagged):
    staff, lean = flagged.users["bso_staff"], value(flagged.report, "thai-lean")
    flag_explain(measurement=lean, rule="maximum", explanation="Merged.", user=staff)
    flag_explain(measurement=lean, rule="maximum", explanation="Merged.", user=staff)
    flag_explain(measurement=lean, rule="maximum", explanation="", user=staff)
    assert Notification.objects.filter(kind="explained").count() == 1


def test_the_pages_explanations_saved_at_once_are_one_notification_naming_both_values(flagged):
    lean, turnover = (
        value(flagged.report, "thai-lean"),
        value(flagged.report, "thai-staff-turnover"),
    )

    changed = flags_explain(
        report=flagged.report,
        explanations={
            (lean.kpi_id, "maximum"): "Two firms merged.",
            (turnover.kpi_id, "ratio"): "Leavers counted twice.",
        },
        user=flagged.users["bso_staff"],
    )

    assert changed == 2
    (row,) = Notification.objects.filter(kind="explained")
    assert row.params["kpi"] == f"{LEAN}; {turnover.kpi.name}"


# --- the KPI's rules change ---------------------------------------------------------------------


def test_a_change_of_a_kpis_rules_checks_its_values_in_open_reports_again(
    flagged, django_capture_on_commit_callbacks
):
    """Lean 480 in the draft: a maximum of 50 flags it (480 > 50), one of 1000 clears it; the
    submitted report of Q2 (lean 480 too) keeps the flags it was judged with (none)."""
    from monitoring.reports.services import report_open
    from scorecards.models import Period

    staff, admin = flagged.users["bso_staff"], flagged.users["admin"]
    q2 = report_open(cluster=flagged.inside, period=Period.objects.get(year=2025, quarter=2))
    KPIChecks.objects.filter(kpi__code="thai-lean").delete()
    rows = complete_rows(q2)
    rows[value(q2, "thai-lean").kpi_id] = {"value": "480"}
    report_record_values(report=q2, rows=rows, user=staff)
    Flag.objects.filter(measurement__report=q2).delete()  # turnover 1 / 4 raised none anyway
    report_transition(report=q2, action="submit", user=staff)
    Flag.objects.filter(measurement__kpi__code="thai-lean").delete()
    lean = KPI.objects.get(code="thai-lean")

    with django_capture_on_commit_callbacks(execute=True):
        kpi_checks_set(kpi=lean, data={"maximum": Decimal(50)}, user=admin)

    draft_flags = Flag.objects.filter(measurement__kpi=lean, measurement__report=flagged.report)
    assert [f.message for f in draft_flags] == ["now 480 > maximum 50"]
    assert not Flag.objects.filter(measurement__report=q2).exists()

    with django_capture_on_commit_callbacks(execute=True):
        kpi_checks_set(kpi=lean, data={"maximum": Decimal(1000)}, user=admin)

    assert not Flag.objects.filter(measurement__kpi=lean).exists()
    # the other KPI's flag was not touched
    assert list(Flag.objects.values_list("rule", flat=True)) == ["ratio"]
