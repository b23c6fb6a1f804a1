"""Achievement, status colour and scores (DESIGN.md rule 7): the one place they are computed.

Pure functions on Decimals, used by the scorecard page, the API and the rollup engine alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

ZERO, ONE = Decimal(0), Decimal(1)
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


def ratio_value(
    numerator: Decimal | None, denominator: Decimal | None, scale: Decimal
) -> Decimal | None:
    """numerator / denominator x scale; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * scale


def achievement(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
    lower_is_better: bool = False,
) -> Decimal | None:
    """How far the actual went from the baseline toward the target (1 = target reached).

    Higher is better: (actual - baseline) / (target - baseline), or actual / target without a
    baseline. Lower is better mirrors it: (baseline - actual) / (baseline - target), or
    target / actual. Where that would divide by zero, 1 if the target is met or beaten, else 0.
    None when the actual or the target is missing.
    """
    if actual is None or target is None:
        return None
    met = actual <= target if lower_is_better else actual >= target
    if baseline is not None:
        gap, progress = (
            (baseline - target, baseline - actual)
            if lower_is_better
            else (
                target - baseline,
                actual - baseline,
            )
        )
    else:
        gap, progress = (actual, target) if lower_is_better else (target, actual)
    if gap == 0:
        return ONE if met else ZERO
    return progress / gap


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
    """A KPI's achievement (1 = target reached) and its status colour."""

    achievement: Decimal | None
    status: str


def kpi_score(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None,
    lower_is_better: bool,
    green: Decimal | None = None,
    amber: Decimal | None = None,
) -> Score:
    """One KPI scored as its scorecard scores it: achievement against target and baseline, and
    its colour by the template's thresholds (the defaults where a threshold is not known).

    Every reader goes through here: a cluster's scorecard, the officers' clusters off track
    and every rolled-up number, so a colour means the same wherever it is shown.
    """
    result = achievement(
        actual=actual, target=target, baseline=baseline, lower_is_better=lower_is_better
    )
    return Score(
        result,
        status(
            result,
            green=DEFAULT_GREEN if green is None else green,
            amber=DEFAULT_AMBER if amber is None else amber,
        ),
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
