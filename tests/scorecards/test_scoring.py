"""Achievement, status and scores, worked by hand (DESIGN.md rule 7)."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scorecards.scoring import (
    Method,
    Node,
    Status,
    achievement,
    kpi_score,
    mean_score,
    ratio_value,
    roll_scores,
    status,
)


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
    [
        (D(50), False, D(1)),
        (D(49), False, D("0.98")),  # 49 / 50
        (D(50), True, D(1)),
        (D(40), True, D("1.25")),  # 50 / 40
    ],
)
def test_target_equal_to_baseline_compares_actual_and_target(actual, lower, expected):
    # the target does not improve on the baseline: the baseline is left out
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


# --- Rule 7 as amended: the cases seen on the demo data (issues 15 and 22) -------------------


def test_a_higher_is_better_kpi_below_its_baseline_is_negative_and_off_track():
    # Mendoza 2026-Q2: baseline 61, target 70, actual 53: (53 - 61) / (70 - 61) = -8 / 9
    score = kpi_score(actual=D(53), target=D(70), baseline=D(61), lower_is_better=False)
    assert round(score.achievement, 4) == D("-0.8889")
    assert (score.method, score.status, score.label) == (Method.PROGRESS, Status.RED, "Off track")


def test_a_lower_is_better_target_worse_than_its_baseline_leaves_the_baseline_out():
    # returns: baseline 23.15, target 24 (worse than the baseline), actual 27.87: the target
    # does not improve on the baseline, so target / actual = 24 / 27.87 = 0.8611 (not 5.55)
    score = kpi_score(actual=D("27.87"), target=D(24), baseline=D("23.15"), lower_is_better=True)
    assert round(score.achievement, 4) == D("0.8611")
    assert (score.method, score.status, score.met) == (Method.RATIO, Status.AMBER, False)
    assert not score.baseline_used


def test_a_higher_is_better_target_below_its_baseline_leaves_the_baseline_out():
    # baseline 100, target 90 (a planned fall), actual 99: 99 / 90 = 1.1, met
    score = kpi_score(actual=D(99), target=D(90), baseline=D(100), lower_is_better=False)
    assert (score.achievement, score.method, score.status) == (D("1.1"), Method.RATIO, "green")


def test_a_lower_is_better_kpi_beating_its_target_from_the_baseline():
    # baseline 12.70, target 11, actual 10.90: (12.70 - 10.90) / (12.70 - 11) = 1.8 / 1.7
    score = kpi_score(actual=D("10.90"), target=D(11), baseline=D("12.70"), lower_is_better=True)
    assert round(score.achievement, 4) == D("1.0588")
    assert (score.method, score.status) == (Method.PROGRESS, Status.GREEN)


def test_a_lower_is_better_kpi_worse_than_its_baseline_is_negative():
    # baseline 20, target 10, actual 25: (20 - 25) / (20 - 10) = -0.5
    assert achievement(actual=D(25), target=D(10), baseline=D(20), lower_is_better=True) == D(
        "-0.5"
    )


@pytest.mark.parametrize(
    "actual, target, lower, expected",
    [
        (D(-5), D(10), False, D(0)),  # negative actual, target missed
        (D(5), D(-2), False, D(1)),  # negative target, met
        (D(-3), D(-2), False, D(0)),  # both negative, missed
        (D(-3), D(-2), True, D(1)),  # both negative, lower is better: met
        (D(0), D(0), False, D(1)),
    ],
)
def test_zero_or_negative_numbers_score_met_or_not(actual, target, lower, expected):
    score = kpi_score(actual=actual, target=target, baseline=None, lower_is_better=lower)
    assert (score.achievement, score.method) == (expected, Method.MET)


def test_a_baseline_with_negative_numbers_still_measures_progress():
    # growth rate: baseline -10%, target 5%, actual -4%: (-4 + 10) / (5 + 10) = 0.4
    assert achievement(actual=D(-4), target=D(5), baseline=D(-10)) == D("0.4")


def test_a_value_without_target_says_no_target_and_no_value_says_no_data():
    no_target = kpi_score(actual=D(5), target=None, baseline=D(1), lower_is_better=False)
    no_value = kpi_score(actual=None, target=D(5), baseline=None, lower_is_better=False)
    assert (no_target.achievement, no_target.status, no_target.label) == (
        None,
        Status.GREY,
        "No target",
    )
    assert (no_value.status, no_value.label) == (Status.GREY, "No data")


def test_the_templates_thresholds_colour_the_score():
    # 0.8 with green from 0.8 and amber from 0.5
    score = kpi_score(
        actual=D(8),
        target=D(10),
        baseline=None,
        lower_is_better=False,
        green=D("0.8"),
        amber=D("0.5"),
    )
    assert score.status == Status.GREEN


def test_a_share_read_in_percent_keeps_its_achievement():
    score = kpi_score(actual=D("0.6"), target=D("0.8"), baseline=D("0.4"), lower_is_better=False)
    shown = score.scaled(D(100))
    assert (shown.actual, shown.target, shown.baseline) == (D(60), D(80), D(40))
    assert shown.achievement == score.achievement == D("0.5")


# --- Rule 7's properties, for any numbers -----------------------------------------------------

# KPI values as stored: up to 16 digits before the point and 4 after, of either sign.
values = st.decimals(
    min_value=D("-9999999999999999.9999"),
    max_value=D("9999999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
optional_values = st.none() | values


def close(found, expected):
    """Equal to the 28 digits of Decimal's default context (the rule divides with more)."""
    return abs(found - expected) <= abs(expected) * D("1e-26")


def _met(actual, target, lower):
    return actual <= target if lower else actual >= target


@given(actual=values, target=values, baseline=optional_values, lower=st.booleans())
def test_achievement_is_at_least_one_exactly_when_the_target_is_met(
    actual, target, baseline, lower
):
    result = achievement(actual=actual, target=target, baseline=baseline, lower_is_better=lower)
    assert (result >= 1) == _met(actual, target, lower)


@given(actual=values, target=values, baseline=optional_values, lower=st.booleans())
def test_on_track_exactly_when_the_target_is_met(actual, target, baseline, lower):
    score = kpi_score(actual=actual, target=target, baseline=baseline, lower_is_better=lower)
    assert (score.status == Status.GREEN) == _met(actual, target, lower) == score.met


@given(
    actual=values,
    target=values,
    baseline=optional_values,
    lower=st.booleans(),
    green=st.decimals(min_value=D("0.5"), max_value=D(2), places=2),
    amber=st.decimals(min_value=D(0), max_value=D("0.5"), places=2),
)
def test_status_follows_the_thresholds(actual, target, baseline, lower, green, amber):
    score = kpi_score(
        actual=actual,
        target=target,
        baseline=baseline,
        lower_is_better=lower,
        green=green,
        amber=amber,
    )
    expected = (
        Status.GREEN
        if score.achievement >= green
        else Status.AMBER
        if score.achievement >= amber
        else Status.RED
    )
    assert score.status == expected


@given(target=values, baseline=optional_values, lower=st.booleans(), a=values, b=values)
def test_a_better_actual_never_scores_less(target, baseline, lower, a, b):
    # with the target and baseline fixed, moving the actual in the KPI's direction never
    # lowers its achievement; for lower-is-better among positive actuals (at zero the ratio
    # target / actual means nothing, and rule 7 scores it 100% by whether it is met)
    if lower:
        assume(a > 0 and b > 0)
    worse, better = (max(a, b), min(a, b)) if lower else (min(a, b), max(a, b))
    scores = [
        achievement(actual=x, target=target, baseline=baseline, lower_is_better=lower)
        for x in (worse, better)
    ]
    assert scores[0] <= scores[1]


@given(actual=values, target=values, baseline=values, lower=st.booleans())
def test_a_baseline_counts_only_when_the_target_improves_on_it(actual, target, baseline, lower):
    with_baseline = kpi_score(
        actual=actual, target=target, baseline=baseline, lower_is_better=lower
    )
    improves = target < baseline if lower else target > baseline
    assert with_baseline.baseline_used == improves
    if improves:
        assert close(with_baseline.achievement, (actual - baseline) / (target - baseline))
    else:
        without = achievement(actual=actual, target=target, baseline=None, lower_is_better=lower)
        assert with_baseline.achievement == without


@given(actual=values, target=values, lower=st.booleans())
def test_without_baseline_the_ratio_where_it_means_something(actual, target, lower):
    result = achievement(actual=actual, target=target, lower_is_better=lower)
    if actual > 0 and target > 0:
        assert close(result, target / actual if lower else actual / target)
    else:
        assert result in (D(0), D(1))


@given(actual=optional_values, target=optional_values, baseline=optional_values)
def test_no_achievement_without_actual_or_target(actual, target, baseline):
    score = kpi_score(actual=actual, target=target, baseline=baseline, lower_is_better=False)
    assert (score.achievement is None) == (actual is None or target is None)
    assert (score.status == Status.GREY) == (score.achievement is None)


@pytest.mark.parametrize(
    "actual, places, shown",
    [
        (D("99.96"), 0, D(99)),  # 99.96% would round to 100% beside "At risk"
        (D("99.996"), 1, D("99.9")),
        (D("100.04"), 0, D(100)),
        (D("75.5"), 0, D(76)),
        (D("-88.8889"), 0, D(-89)),
    ],
)
def test_a_percentage_is_rounded_for_people_but_never_across_100(actual, places, shown):
    score = kpi_score(actual=actual, target=D(100), baseline=None, lower_is_better=False)
    if actual < 0:  # a ratio means nothing below zero: use a baseline to get there
        score = kpi_score(actual=actual, target=D(100), baseline=D(0), lower_is_better=False)
    assert score.rounded_percent(places) == shown


@given(actual=values, target=values, baseline=optional_values, lower=st.booleans())
def test_the_shown_percentage_reads_100_or_more_exactly_when_the_target_is_met(
    actual, target, baseline, lower
):
    score = kpi_score(actual=actual, target=target, baseline=baseline, lower_is_better=lower)
    assert (score.shown_percent >= 100) == _met(actual, target, lower)
    assert (score.rounded_percent(1) >= 100) == _met(actual, target, lower)
