"""Achievement, status colour and scores (DESIGN.md rule 7): the one place they are computed.

Pure functions on Decimals, used by the scorecard page, the API and the rollup engine alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext_lazy

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
# Digits kept by a division: KPI values have at most 20, so a quotient that misses the target
# by a hair still reads below 1 (the default 28 could round it up to exactly 1).
_PRECISION = 60
DEFAULT_GREEN, DEFAULT_AMBER = Decimal("1"), Decimal("0.75")


class Status:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


# What each colour says, in words (pages show it in a chip, downloads as text).
STATUS_LABELS = {
    Status.GREEN: gettext_lazy("On track"),
    Status.AMBER: gettext_lazy("At risk"),
    Status.RED: gettext_lazy("Off track"),
    Status.GREY: gettext_lazy("No data"),
}
# A grey KPI that has a value but no target to measure it against.
NO_TARGET = gettext_lazy("No target")


def ratio_value(
    numerator: Decimal | None, denominator: Decimal | None, scale: Decimal
) -> Decimal | None:
    """numerator / denominator x scale; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * scale


class Method:
    """Which of rule 7's formulas gave an achievement (shown beside it, with its numbers)."""

    PROGRESS = "progress"  # from the baseline toward the target
    RATIO = "ratio"  # actual / target (target / actual for lower-is-better)
    MET = "met"  # the ratio means nothing: 100% when the target is met, else 0%


def target_met(*, actual: Decimal, target: Decimal, lower_is_better: bool) -> bool:
    """The target is met or beaten in the KPI's direction."""
    return actual <= target if lower_is_better else actual >= target


def improves(*, target: Decimal, baseline: Decimal, lower_is_better: bool) -> bool:
    """The target improves on the baseline in the KPI's direction (level is not improving)."""
    return target < baseline if lower_is_better else target > baseline


def scored(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
    lower_is_better: bool = False,
) -> tuple[Decimal | None, str | None]:
    """Achievement (1 = target reached) and the formula that gave it (a `Method`).

    DESIGN.md rule 7: (actual - baseline) / (target - baseline) when the target improves on the
    baseline in the KPI's direction (for lower-is-better the mirror, (baseline - actual) /
    (baseline - target), is the same number); otherwise (no baseline, or a target level with or
    worse than it) actual / target, or target / actual for lower-is-better; where that ratio
    means nothing (a zero or negative target or actual) 1 when the target is met, else 0.
    So achievement >= 1 exactly when the target is met. (None, None) without actual or target.
    """
    if actual is None or target is None:
        return None, None
    if baseline is not None and improves(
        target=target, baseline=baseline, lower_is_better=lower_is_better
    ):
        with localcontext(prec=_PRECISION):
            return (actual - baseline) / (target - baseline), Method.PROGRESS
    if target > 0 and actual > 0:
        with localcontext(prec=_PRECISION):
            return (target / actual if lower_is_better else actual / target), Method.RATIO
    met = target_met(actual=actual, target=target, lower_is_better=lower_is_better)
    return (ONE if met else ZERO), Method.MET


def achievement(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
    lower_is_better: bool = False,
) -> Decimal | None:
    """How far the actual went toward the target (1 = target reached), by rule 7 (`scored`)."""
    return scored(actual=actual, target=target, baseline=baseline, lower_is_better=lower_is_better)[
        0
    ]


def status(
    value: Decimal | None, *, green: Decimal = DEFAULT_GREEN, amber: Decimal = DEFAULT_AMBER
) -> str:
    """Colour of an achievement (or a score): green, amber, red, or grey without one."""
    if value is None:
        return Status.GREY
    if value >= green:
        return Status.GREEN
    if value >= amber:
        return Status.AMBER
    return Status.RED


@dataclass(frozen=True)
class Score:
    """A KPI's achievement (1 = target reached) and status colour, with the numbers and the
    formula behind them, so that every page can show how the achievement was worked out."""

    achievement: Decimal | None
    status: str
    actual: Decimal | None = None
    target: Decimal | None = None
    baseline: Decimal | None = None
    lower_is_better: bool = False
    method: str | None = None
    green: Decimal = DEFAULT_GREEN
    amber: Decimal = DEFAULT_AMBER

    @property
    def percent(self) -> Decimal | None:
        return None if self.achievement is None else self.achievement * HUNDRED

    def rounded_percent(self, places: int = 0) -> Decimal | None:
        """The achievement in percent, rounded for people but never across 100%: a target
        missed by a hair reads 99.9% (or 99%), not 100%, beside its "At risk"."""
        if self.achievement is None:
            return None
        step = Decimal(1).scaleb(-places)
        shown = self.percent.quantize(step, rounding=ROUND_HALF_UP)
        if self.achievement < ONE and shown >= HUNDRED:
            return HUNDRED - step
        return shown

    @property
    def shown_percent(self) -> Decimal | None:
        """The achievement as pages show it: a whole percentage."""
        return self.rounded_percent()

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        return target_met(
            actual=self.actual, target=self.target, lower_is_better=self.lower_is_better
        )

    @property
    def baseline_used(self) -> bool:
        return self.method == Method.PROGRESS

    @property
    def label(self) -> str:
        """The status in words: "No target" for a value without a target, not "No data"."""
        if self.status == Status.GREY and self.actual is not None and self.target is None:
            return str(NO_TARGET)
        return str(STATUS_LABELS[self.status])

    def scaled(self, factor: Decimal) -> "Score":
        """The same score with its numbers read in another unit (a share of yes in percent):
        achievement does not change with the unit."""

        def times(number: Decimal | None) -> Decimal | None:
            return None if number is None else number * factor

        return replace(
            self,
            actual=times(self.actual),
            target=times(self.target),
            baseline=times(self.baseline),
        )


def kpi_score(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None,
    lower_is_better: bool,
    green: Decimal | None = None,
    amber: Decimal | None = None,
) -> Score:
    """One KPI scored as its scorecard scores it: achievement against target and baseline
    (rule 7, `scored`), and its colour by the template's thresholds (the defaults where a
    threshold is not known).

    Every reader goes through here: a cluster's scorecard, the officers' clusters off track,
    every rolled-up number (monitoring.rollups.figures), their downloads and the API, so an
    achievement and a colour mean the same wherever they are shown.
    """
    green = DEFAULT_GREEN if green is None else green
    amber = DEFAULT_AMBER if amber is None else amber
    result, method = scored(
        actual=actual, target=target, baseline=baseline, lower_is_better=lower_is_better
    )
    return Score(
        result,
        status(result, green=green, amber=amber),
        actual=actual,
        target=target,
        baseline=baseline,
        lower_is_better=lower_is_better,
        method=method,
        green=green,
        amber=amber,
    )


def capped(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def mean_score(scores: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Weighted mean of (score, weight) pairs, each capped to 0..1; missing scores are left out."""
    present = [(capped(score), weight) for score, weight in scores if score is not None]
    total_weight = sum((weight for _, weight in present), ZERO)
    if not present or total_weight == 0:
        return None
    return sum((score * weight for score, weight in present), ZERO) / total_weight


@dataclass
class Node:
    """A CSF or perspective (or the whole scorecard) and the scores under it."""

    score: Decimal | None
    weight: Decimal = ONE


def roll_scores(children: Iterable[Node]) -> Decimal | None:
    return mean_score((child.score, child.weight) for child in children)
