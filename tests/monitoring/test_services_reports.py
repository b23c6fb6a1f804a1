"""Reports: values checked against their unit, saved all or nothing, reviewed step by step."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import ConflictError, PermissionDenied
from monitoring.models import Measurement, Report
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import KPI, Period
from tests.reports import complete_rows


def kpi(code):
    return KPI.objects.get(code=code)


def record(world, rows, user="bso_staff"):
    return report_record_values(
        report=world.report,
        rows={kpi(code).pk: raw for code, raw in rows.items()},
        user=world.users[user],
    )


def fill_everything(world):
    report_record_values(
        report=world.report, rows=complete_rows(world.report), user=world.users["bso_staff"]
    )


def test_a_quarterly_report_holds_every_quarterly_kpi_of_the_scorecard(thai):
    codes = set(thai.report.measurements.values_list("kpi__code", flat=True))
    quarterly = set(
        KPI.objects.filter(
            placements__csf__perspective__template__code="thai-food", frequency="quarterly"
        ).values_list("code", flat=True)
    )
    assert codes == quarterly
    assert "thai-loan-timescale" not in codes  # annual: in the year's report


def test_the_year_report_holds_the_annual_kpis(thai):
    year = report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=0))
    assert "thai-communications-plan" in set(year.measurements.values_list("kpi__code", flat=True))


def test_opening_a_report_twice_gives_the_same_report(thai):
    assert report_open(cluster=thai.inside, period=thai.q1) == thai.report
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "code, raw, field",
    [
        ("thai-lean", {"value": "many"}, "value"),
        ("thai-lean", {"value": "NaN"}, "value"),
        ("thai-lean", {"value": "Infinity"}, "value"),
        ("thai-lean", {"value": "-3"}, "value"),
        ("thai-lean", {"value": "2.5"}, "value"),
        ("thai-lean", {"value": "1e15"}, "value"),
        ("thai-staff-turnover", {"numerator": "3", "denominator": "0"}, "denominator"),
        ("thai-staff-turnover", {"numerator": "3"}, "denominator"),
        ("thai-staff-turnover", {"numerator": "-3", "denominator": "10"}, "numerator"),
        ("thai-skills-participants", {"value_women": "3"}, "value_men"),
    ],
)
def test_bad_numbers_get_a_clear_error_and_nothing_is_saved(thai, code, raw, field):
    with pytest.raises(ValidationError) as error:
        record(thai, {"thai-jit": {"value": "4"}, code: raw})
    assert f"{kpi(code).pk}.{field}" in error.value.message_dict
    assert not Measurement.objects.filter(report=thai.report).exclude(value=None).exists()


def test_sex_split_fills_the_total(thai):
    report_record_values(
        report=thai.report,
        rows={kpi("thai-skills-participants").pk: {"value_women": "12", "value_men": "8"}},
        user=thai.users["bso_staff"],
    )
    m = thai.report.measurements.get(kpi__code="thai-skills-participants")
    assert (m.value, m.value_women, m.value_men) == (Decimal(20), Decimal(12), Decimal(8))


def test_a_save_based_on_an_old_revision_is_refused(thai):
    k = kpi("thai-lean").pk
    report_record_values(
        report=thai.report, rows={k: {"value": "5", "revision": 0}}, user=thai.users["bso_staff"]
    )
    with pytest.raises(ConflictError, match="changed by"):
        report_record_values(
            report=thai.report, rows={k: {"value": "7", "revision": 0}}, user=thai.users["admin"]
        )
    assert thai.report.measurements.get(kpi_id=k).value == 5


def test_saving_the_same_values_again_changes_nothing(thai):
    k = kpi("thai-lean").pk
    report_record_values(report=thai.report, rows={k: {"value": "5"}}, user=thai.users["bso_staff"])
    changed = report_record_values(
        report=thai.report, rows={k: {"value": "5.0", "revision": 0}}, user=thai.users["bso_staff"]
    )
    assert changed == []
    assert thai.report.measurements.get(kpi_id=k).revision == 1


def test_every_change_keeps_who_changed_what_from_what_to_what(thai):
    k = kpi("thai-lean").pk
    bso = thai.users["bso_staff"]
    report_record_values(report=thai.report, rows={k: {"value": "5"}}, user=bso)
    report_record_values(report=thai.report, rows={k: {"value": "6"}}, user=bso)
    m = thai.report.measurements.get(kpi_id=k)
    latest, before = m.history.all()[:2]
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "value"] == [
        ("value", Decimal(5), Decimal(6))
    ]
    assert latest.history_user == bso


def test_a_report_goes_draft_submitted_returned_submitted_approved_reopened(thai):
    fill_everything(thai)
    bso, officer = thai.users["bso_staff"], thai.users["program_officer"]
    steps = [
        ("submit", bso, "", "submitted"),
        ("return", officer, "Check the turnover figures", "returned"),
        ("submit", bso, "", "submitted"),
        ("approve", officer, "", "approved"),
        ("reopen", officer, "Auditor found a typo", "returned"),
    ]
    for action, user, comment, state in steps:
        report = report_transition(report=thai.report, action=action, user=user, comment=comment)
        assert report.state == state
    trail = list(thai.report.transitions.values_list("action", "by__username", "comment"))
    assert trail == [
        ("submit", "bso", ""),
        ("return", "officer", "Check the turnover figures"),
        ("submit", "bso", ""),
        ("approve", "officer", ""),
        ("reopen", "officer", "Auditor found a typo"),
    ]


def test_submitting_with_missing_values_names_them(thai):
    with pytest.raises(ValidationError, match=r"Missing: .*Number of companies adopting"):
        report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])


def test_returning_needs_a_comment(thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    with pytest.raises(ValidationError) as error:
        report_transition(report=thai.report, action="return", user=thai.users["program_officer"])
    assert "comment" in error.value.message_dict


def test_a_draft_cannot_be_approved(thai):
    with pytest.raises(ValidationError, match="“draft” state, so it cannot be approved"):
        report_transition(report=thai.report, action="approve", user=thai.users["admin"])


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional"])
def test_only_bso_staff_and_admins_enter_values(thai, role):
    with pytest.raises(PermissionDenied):
        record(thai, {"thai-lean": {"value": "1"}}, user=role)


@pytest.mark.parametrize("role", ["bso_staff", "ministry", "regional"])
def test_only_officers_and_admins_approve(thai, role):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    with pytest.raises(PermissionDenied):
        report_transition(report=thai.report, action="approve", user=thai.users[role])


def test_approved_values_are_read_only(thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    report_transition(report=thai.report, action="approve", user=thai.users["program_officer"])
    with pytest.raises(ValidationError, match="approved"):
        report_record_values(
            report=thai.report, rows={kpi("thai-lean").pk: {"value": "9"}}, user=thai.users["admin"]
        )


@pytest.mark.parametrize(
    "raw, expected",
    [("2.00000", Decimal(2)), ("1 200", Decimal(1200)), ("1\u00a0200", Decimal(1200))],
)
def test_trailing_zeros_and_digit_group_spaces_are_accepted(thai, raw, expected):
    record(thai, {"thai-lean": {"value": raw}})
    assert thai.report.measurements.get(kpi__code="thai-lean").value == expected


@pytest.mark.parametrize("raw", ["1_000", "1.00001"])
def test_underscores_and_a_fifth_decimal_are_refused(thai, raw):
    with pytest.raises(ValidationError):
        record(thai, {"thai-lean": {"value": raw}})


def test_a_stale_form_revision_is_an_error_not_a_crash(thai):
    with pytest.raises(ValidationError) as error:
        record(thai, {"thai-lean": {"value": "1", "revision": "x"}})
    assert f"{kpi('thai-lean').pk}.revision" in error.value.message_dict


def test_value_errors_are_reported_before_a_conflict(thai):
    k = kpi("thai-lean").pk
    report_record_values(report=thai.report, rows={k: {"value": "5"}}, user=thai.users["admin"])
    with pytest.raises(ValidationError):
        report_record_values(
            report=thai.report,
            rows={k: {"value": "6", "revision": 0}, kpi("thai-jit").pk: {"value": "x"}},
            user=thai.users["bso_staff"],
        )


def test_a_note_of_zero_is_kept_and_a_long_note_is_refused(thai):
    record(thai, {"thai-lean": {"value": "1", "note": 0}})
    assert thai.report.measurements.get(kpi__code="thai-lean").note == "0"
    with pytest.raises(ValidationError):
        record(thai, {"thai-lean": {"value": "1", "note": "x" * 501}})
