"""Achievement, status and scores, worked by hand (DESIGN.md rule 7)."""

from decimal import Decimal as D

import pytest

from scorecards.scoring import Node, achievement, mean_score, ratio_value, roll_scores, status


def test_higher_is_better_with_baseline():
    # baseline 40, target 60, actual 55: (55 - 40) / (60 - 40) = 15 / 20 = 0.75
    assert achievement(actual=D(55), target=D(60), baseline=D(40)) == D("0.75")


def test_higher_is_better_without_baseline():
    # 45 / 60 = 0.75
    assert achievement(actual=D(45), target=D(60)) == D("0.75")


def test_lower_is_better_with_baseline():
    # staff turnover: baseline 20%, target 10%, actual 14%: (20 - 14) / (20 - 10) = 0.6
    assert achievement(actual=D(14), target=D(10), baseline=D(20), lower_is_better=True) == D("0.6")


def test_lower_is_better_without_baseline():
    # target 10, actual 16: 10 / 16 = 0.625
    assert achievement(actual=D(16), target=D(10), lower_is_better=True) == D("0.625")


def test_lower_is_better_beating_the_target_goes_above_one():
    # target 10, actual 8: 10 / 8 = 1.25 (capped only when averaged into scores)
    assert achievement(actual=D(8), target=D(10), lower_is_better=True) == D("1.25")


@pytest.mark.parametrize(
    "actual, lower, expected",
    [(D(50), False, D(1)), (D(49), False, D(0)), (D(50), True, D(1)), (D(51), True, D(0))],
)
def test_target_equal_to_baseline_is_all_or_nothing(actual, lower, expected):
    result = achievement(actual=actual, target=D(50), baseline=D(50), lower_is_better=lower)
    assert result == expected


def test_zero_target_met_is_full_achievement():
    assert achievement(actual=D(3), target=D(0)) == D(1)
    assert achievement(actual=D(0), target=D(0), lower_is_better=True) == D(1)


def test_zero_target_missed_is_no_achievement_for_lower_is_better():
    # target 0 NPLs, actual 2: 0 / 2 = 0
    assert achievement(actual=D(2), target=D(0), lower_is_better=True) == D(0)


def test_zero_actual_for_lower_is_better_without_baseline_meets_the_target():
    # target / actual would divide by zero; 0 <= 5 so the target is met
    assert achievement(actual=D(0), target=D(5), lower_is_better=True) == D(1)


def test_missing_data_has_no_achievement_and_is_grey():
    assert achievement(actual=None, target=D(10)) is None
    assert achievement(actual=D(10), target=None) is None
    assert status(None) == "grey"


def test_yes_no_kpi_is_met_or_not():
    yes, no = D(1), D(0)
    assert achievement(actual=yes, target=yes) == D(1)
    assert achievement(actual=no, target=yes) == D(0)


def test_ratio_kpi_value_is_numerator_over_denominator_times_scale():
    # 12 leavers of 80 staff = 15%
    assert ratio_value(D(12), D(80), D(100)) == D(15)
    assert ratio_value(D(12), D(0), D(100)) is None
    assert ratio_value(None, D(80), D(100)) is None


@pytest.mark.parametrize(
    "value, expected",
    [(D("1.2"), "green"), (D("1"), "green"), (D("0.75"), "amber"), (D("0.7499"), "red")],
)
def test_status_uses_default_thresholds(value, expected):
    assert status(value) == expected


def test_status_uses_the_templates_thresholds():
    assert status(D("0.9"), green=D("0.9"), amber=D("0.6")) == "green"
    assert status(D("0.6"), green=D("0.9"), amber=D("0.6")) == "amber"


def test_scores_cap_each_kpi_to_zero_one_and_skip_missing():
    # KPIs: 1.25 -> 1, -0.5 -> 0, 0.5, None (left out): (1 + 0 + 0.5) / 3 = 0.5
    assert mean_score([(D("1.25"), D(1)), (D("-0.5"), D(1)), (D("0.5"), D(1)), (None, D(1))]) == D(
        "0.5"
    )


def test_weights_are_optional():
    # (1 x 3 + 0 x 1) / 4 = 0.75
    assert mean_score([(D(1), D(3)), (D(0), D(1))]) == D("0.75")


def test_scorecard_score_is_mean_of_perspectives_of_mean_of_csfs():
    # CSF a: (0.5 + 1) / 2 = 0.75; CSF b: 0.25 -> perspective 1: (0.75 + 0.25) / 2 = 0.5
    # perspective 2: one CSF at 1 -> 1; scorecard: (0.5 + 1) / 2 = 0.75
    csf_a = Node(mean_score([(D("0.5"), D(1)), (D(1), D(1))]))
    csf_b = Node(mean_score([(D("0.25"), D(1))]))
    p1 = Node(roll_scores([csf_a, csf_b]))
    p2 = Node(roll_scores([Node(D(1))]))
    assert roll_scores([p1, p2]) == D("0.75")


def test_nothing_to_score_gives_no_score():
    assert mean_score([(None, D(1))]) is None
    assert roll_scores([]) is None
