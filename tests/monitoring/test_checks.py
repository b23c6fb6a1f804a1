"""Data-quality checks at entry: each rule by hand-worked numbers, flags kept per value and
recomputed when it changes, and a report submitted only once every flag is explained."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import PermissionDenied
from monitoring.models import Flag, Report
from monitoring.reports.checks import flag_explain, robust_score
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import KPI, KPIChecks, Period, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.reports import complete_rows


def kpi(code):
    return KPI.objects.get(code=code)


def rules(code, **fields):
    return KPIChecks.objects.create(kpi=kpi(code), **fields)


def record(report, user, **rows):
    """rows: KPI code (dashes as underscores) -> raw inputs."""
    return report_record_values(
        report=report,
        rows={kpi(code.replace("_", "-")).pk: raw for code, raw in rows.items()},
        user=user,
    )


def flags_of(report, code):
    return list(Flag.objects.filter(measurement__report=report, measurement__kpi__code=code))


def messages(report, code):
    return [f.message for f in flags_of(report, code)]


# --- The rules, by hand -----------------------------------------------------------------------


def test_a_change_from_120_to_480_breaks_a_100_percent_limit(thai):
    """previous 120 (approved, Q1), now 480 (Q2): (480 - 120) / 120 = +300% > 100%."""
    staff = thai.users["bso_staff"]
    rules("thai-lean", max_change=Decimal(100))
    record(thai.report, staff, thai_lean={"value": "120"})
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.APPROVED)
    q2 = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))

    record(q2, staff, thai_lean={"value": "480"})

    assert messages(q2, "thai-lean") == ["previous 120, now 480, change +300% > 100%"]


def test_a_change_within_the_limit_and_an_absolute_limit(thai):
    """120 -> 230 is +91.7%: within 100%; with an absolute limit of 100, +110 > 100."""
    staff = thai.users["bso_staff"]
    checks = rules("thai-lean", max_change=Decimal(100))
    record(thai.report, staff, thai_lean={"value": "120"})
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.APPROVED)
    q2 = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))

    record(q2, staff, thai_lean={"value": "230"})
    assert flags_of(q2, "thai-lean") == []

    checks.max_change_kind = KPIChecks.ChangeKind.ABSOLUTE
    checks.save()
    record(q2, staff, thai_lean={"value": "231"})
    assert messages(q2, "thai-lean") == ["previous 120, now 231, change +111 > 100"]


def test_a_draft_value_is_not_the_previous_one(thai):
    staff = thai.users["bso_staff"]
    rules("thai-lean", max_change=Decimal(100))
    record(thai.report, staff, thai_lean={"value": "120"})  # Q1 stays a draft
    q2 = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))

    record(q2, staff, thai_lean={"value": "480"})

    assert flags_of(q2, "thai-lean") == []


def test_bounds_flag_values_outside_them(thai):
    staff = thai.users["bso_staff"]
    rules("thai-lean", minimum=Decimal(5), maximum=Decimal(50))

    record(thai.report, staff, thai_lean={"value": "4"})
    assert messages(thai.report, "thai-lean") == ["now 4 < minimum 5"]
    record(thai.report, staff, thai_lean={"value": "51"})
    assert messages(thai.report, "thai-lean") == ["now 51 > maximum 50"]
    record(thai.report, staff, thai_lean={"value": "50"})
    assert messages(thai.report, "thai-lean") == []


def test_a_numerator_of_7_over_a_denominator_of_5_is_flagged(thai):
    staff = thai.users["bso_staff"]
    rules("thai-staff-turnover", numerator_within_denominator=True)

    record(thai.report, staff, thai_staff_turnover={"numerator": "7", "denominator": "5"})
    assert messages(thai.report, "thai-staff-turnover") == ["numerator 7 > denominator 5"]

    record(thai.report, staff, thai_staff_turnover={"numerator": "5", "denominator": "5"})
    assert messages(thai.report, "thai-staff-turnover") == []


def test_women_and_men_that_miss_the_total_are_flagged_and_saved(thai):
    """No rules set: the sex split's sum is checked by default, and no longer refused."""
    staff = thai.users["bso_staff"]

    record(
        thai.report,
        staff,
        thai_skills_participants={"value_women": "3", "value_men": "4", "value": "10"},
    )

    m = thai.report.measurements.get(kpi__code="thai-skills-participants")
    assert (m.value, m.value_women, m.value_men) == (10, 3, 4)
    assert messages(thai.report, "thai-skills-participants") == ["women 3 + men 4 = 7, total 10"]


def test_the_robust_score_of_hand_worked_peers():
    """Peers of 40: [10, 11, 12, 12, 13]: median 12; deviations 2, 1, 0, 0, 1: MAD 1;
    |40 - 12| / 1.4826 = 18.89 > 3.5. Peers of 13: [10, 11, 12, 12, 40]: median 12,
    deviations 2, 1, 0, 0, 28: MAD 1; |13 - 12| / 1.4826 = 0.67."""
    forty = robust_score(Decimal(40), [Decimal(n) for n in (10, 11, 12, 12, 13)])
    thirteen = robust_score(Decimal(13), [Decimal(n) for n in (10, 11, 12, 12, 40)])
    assert (forty.median, forty.mad, round(forty.score, 2)) == (12, 1, Decimal("18.89"))
    assert (thirteen.median, thirteen.mad, round(thirteen.score, 2)) == (12, 1, Decimal("0.67"))


@pytest.fixture
def peers(thai):
    """Six alike clusters (same sector family and stage as `inside`, the factory's) whose
    submitted Q1 reports hold thai-lean 10, 11, 12, 12, 13 and 40; and one of another stage
    with 1000, which is no peer. The values are written as they stand, unchecked."""
    rules("thai-lean", peer_outliers=True)
    reports = {}
    for value in [10, 11, 12, 12, 13, 40, 1000]:
        stage = "emerging" if value == 1000 else thai.inside.lifecycle_stage
        cluster = ClusterFactory(country=thai.argentina, lifecycle_stage=stage)
        scorecard_adopt(
            cluster=cluster,
            template=Template.objects.get(code="thai-food", version=1),
            on=datetime.date(2024, 1, 1),
        )
        report = report_open(cluster=cluster, period=thai.q1)
        report.measurements.filter(kpi__code="thai-lean").update(value=value)
        Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
        reports.setdefault(value, report)
    return reports


def enter_again(report, value, user):
    """The report back to draft with thai-lean empty, then `value` entered."""
    Report.objects.filter(pk=report.pk).update(state=Report.State.DRAFT)
    report.measurements.filter(kpi__code="thai-lean").update(value=None)
    record(report, user, thai_lean={"value": str(value)})


def test_peers_10_11_12_12_13_40_flag_40_and_not_13(thai, peers):
    enter_again(peers[40], 40, thai.users["admin"])  # its peers: 10, 11, 12, 12, 13
    assert messages(peers[40], "thai-lean") == [
        "now 40, median of 5 alike clusters 12, MAD 1: robust z-score 18.89 > 3.5"
    ]
    Report.objects.filter(pk=peers[40].pk).update(state=Report.State.SUBMITTED)

    enter_again(peers[13], 13, thai.users["admin"])  # its peers: 10, 11, 12, 12, 40
    assert messages(peers[13], "thai-lean") == []


def test_the_threshold_is_the_kpis(thai, peers):
    KPIChecks.objects.filter(kpi__code="thai-lean").update(outlier_threshold=Decimal("0.5"))
    enter_again(peers[13], 13, thai.users["admin"])  # 0.67 > 0.5
    assert len(messages(peers[13], "thai-lean")) == 1


def test_fewer_than_5_peers_means_no_peer_test(thai, peers):
    Report.objects.filter(pk=peers[10].pk).update(state=Report.State.DRAFT)  # 5 peers left
    record(thai.report, thai.users["bso_staff"], thai_lean={"value": "400"})
    assert len(messages(thai.report, "thai-lean")) == 1

    Report.objects.filter(pk=peers[11].pk).update(state=Report.State.DRAFT)  # 4 left
    record(thai.report, thai.users["bso_staff"], thai_lean={"value": "401"})
    assert messages(thai.report, "thai-lean") == []


# --- Flags on values: kept, recomputed, explained ---------------------------------------------


def test_a_draft_saves_with_its_flags(thai):
    rules("thai-lean", maximum=Decimal(50))
    record(thai.report, thai.users["bso_staff"], thai_lean={"value": "480"})

    assert thai.report.measurements.get(kpi__code="thai-lean").value == 480
    flag = flags_of(thai.report, "thai-lean")[0]
    assert (flag.rule, flag.explanation, flag.raised_by) == ("maximum", "", thai.users["bso_staff"])


def test_an_explanation_stays_while_the_flag_fires_and_goes_when_it_clears(thai):
    staff = thai.users["bso_staff"]
    rules("thai-lean", maximum=Decimal(50))
    record(thai.report, staff, thai_lean={"value": "480"})
    m = thai.report.measurements.get(kpi__code="thai-lean")
    flag_explain(measurement=m, rule="maximum", explanation="A new industrial park.", user=staff)

    record(thai.report, staff, thai_lean={"value": "490"})
    flag = flags_of(thai.report, "thai-lean")[0]
    assert (flag.explanation, flag.message) == ("A new industrial park.", "now 490 > maximum 50")

    record(thai.report, staff, thai_lean={"value": "40"})
    assert flags_of(thai.report, "thai-lean") == []
    record(thai.report, staff, thai_lean={"value": "480"})
    assert flags_of(thai.report, "thai-lean")[0].explanation == ""

    history = Flag.history.filter(measurement_id=m.pk).order_by("history_date", "history_id")
    assert [h.history_type for h in history] == ["+", "~", "~", "-", "+"]
    assert [h.explanation for h in history][1:3] == ["A new industrial park."] * 2


def test_submit_is_refused_while_a_flag_lacks_an_explanation(thai):
    staff = thai.users["bso_staff"]
    rules("thai-lean", maximum=Decimal(50))
    rows = complete_rows(thai.report)
    rows[kpi("thai-lean").pk] = {"value": "480"}
    report_record_values(report=thai.report, rows=rows, user=staff)

    with pytest.raises(ValidationError, match="Unexplained: Number of companies adopting lean"):
        report_transition(report=thai.report, action="submit", user=staff)

    m = thai.report.measurements.get(kpi__code="thai-lean")
    flag_explain(measurement=m, rule="maximum", explanation="Counted twice last year.", user=staff)
    report = report_transition(report=thai.report, action="submit", user=staff)
    assert report.state == Report.State.SUBMITTED


def test_only_bso_staff_explain_and_only_while_the_report_is_editable(thai):
    staff = thai.users["bso_staff"]
    rules("thai-lean", maximum=Decimal(50))
    record(thai.report, staff, thai_lean={"value": "480"})
    m = thai.report.measurements.get(kpi__code="thai-lean")

    with pytest.raises(PermissionDenied):
        flag_explain(measurement=m, rule="maximum", explanation="x", user=thai.users["ministry"])
    with pytest.raises(ValidationError, match="no such flag"):
        flag_explain(measurement=m, rule="minimum", explanation="x", user=staff)
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.SUBMITTED)
    with pytest.raises(ValidationError, match="submitted"):
        flag_explain(measurement=m, rule="maximum", explanation="x", user=staff)


def test_a_flag_reads_in_the_readers_language(thai):
    from django.utils import translation

    from monitoring.models import flag_message

    numbers = {
        "previous": "120",
        "value": "480",
        "change": "300.0",
        "limit": "100",
        "kind": "percent",
    }
    with translation.override("es"):
        assert flag_message("change", numbers) == "anterior 120, ahora 480, cambio +300% > 100%"
    assert flag_message("change", numbers) == "previous 120, now 480, change +300% > 100%"
