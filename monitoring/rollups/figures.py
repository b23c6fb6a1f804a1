"""A rolled-up number as every reader is shown it: the one presenter of a Rollup row.

The rollup pages, the dashboards, the downloads and the API present a row through `figure()`:
its value and the unit it is read in, its coverage, "as of" and whether it waits for a
recompute, its target (set or derived) and baseline, its achievement and status (scored by
scorecards.scoring.kpi_score, as the scorecard scores a KPI) and the link to its explanation.

The one rule of how a number is shown lives here too: a yes/no KPI above cluster level is the
share of reporting clusters answering yes, stored as 0..1 and read in percent (`is_share`,
`shown()`); at cluster level it is the cluster's own yes (1) or no (0). The API gives the
numbers as stored, in the KPI's unit, and restates a share in percent (`share`, given by the
API's `share_yes_percent`, as every percent-like number of the API).
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import RollupStale
from monitoring.models import Rollup
from scorecards.models import KPI, Level, Period
from scorecards.scoring import Score, kpi_score

HUNDRED = Decimal(100)
LEVEL_LABELS = {
    Level.GLOBAL: gettext_lazy("Global (all clusters)"),
    Level.PROGRAM: gettext_lazy("Program"),
    Level.REGION: gettext_lazy("Region"),
    Level.COUNTRY: gettext_lazy("Country"),
    Level.CLUSTER: gettext_lazy("Cluster"),
}


class StaleIndex:
    """Answers 'is this (kpi, period) waiting for a recompute?' from the current markers."""

    def __init__(self) -> None:
        self.markers = set(RollupStale.objects.values_list("kpi_id", "period_id"))
        periods = {p for _k, p in self.markers if p is not None}
        self.year_of = dict(Period.objects.filter(pk__in=periods).values_list("pk", "year"))
        # years with a stale period, for one KPI (k, year) or for every KPI (None, year)
        self.stale_kpi_years = {(k, self.year_of[p]) for k, p in self.markers if p in self.year_of}

    def __call__(self, row: Rollup) -> bool:
        if not self.markers:
            return False
        k, p = row.kpi_id, row.period_id
        if {(None, None), (k, None), (None, p), (k, p)} & self.markers:
            return True
        # a year is built from its quarters: a stale quarter makes its year stale
        return row.period.kind == Period.Kind.YEAR and bool(
            {(k, row.period.year), (None, row.period.year)} & self.stale_kpi_years
        )


@dataclass(frozen=True)
class Coverage:
    """Clusters that reported an approved value / clusters expected to (DESIGN.md rule 4)."""

    reporting: int
    expected: int
    complete: int | None  # a year of quarters: clusters whose four quarters are all approved

    @property
    def missing(self) -> int:
        return max(self.expected - self.reporting, 0)


@dataclass(frozen=True, eq=False)  # a cluster row has no id to compare or hash by
class Figure:
    """A rollup row as it is shown. `row` stays reachable for what only some readers show
    (numerator and denominator, the split by sex, the row's keys)."""

    row: Rollup
    score: Score  # achievement and status with the numbers and formula behind them
    stale: bool
    unit_name: str  # the unit's name ("All" for the global level), "—" when not known

    @property
    def kpi(self) -> KPI:
        return self.row.kpi

    @property
    def is_share(self) -> bool:
        """A yes/no KPI above cluster level: the share of reporting clusters answering yes."""
        return self.kpi.aggregation == KPI.Aggregation.SHARE_YES and (
            self.row.level != Level.CLUSTER
        )

    def shown(self, number: Decimal | None) -> Decimal | None:
        """A number of this figure (value, target, baseline) as people read it: a share of yes
        in percent (3 clusters of 4 answering yes: 0.75 -> 75), any other number as it is."""
        if number is None or not self.is_share:
            return number
        return number * HUNDRED

    # --- The numbers ---------------------------------------------------------------------------

    @property
    def value(self) -> Decimal | None:
        return self.row.value

    @property
    def has_value(self) -> bool:
        return self.row.value is not None

    @property
    def share(self) -> Decimal | None:
        """A share of yes as stored (0..1), or None for any other figure."""
        return self.row.value if self.is_share else None

    @property
    def shown_value(self) -> Decimal | None:
        return self.shown(self.row.value)

    @property
    def target(self) -> Decimal | None:
        return self.row.target

    @property
    def shown_target(self) -> Decimal | None:
        return self.shown(self.row.target)

    @property
    def target_derived(self) -> bool:
        """No target is set at this level: a sum KPI's is the sum of the targets below it."""
        return self.row.target_derived

    @property
    def baseline(self) -> Decimal | None:
        return self.row.baseline

    @property
    def achievement(self) -> Decimal | None:
        return self.score.achievement

    @property
    def achievement_percent(self) -> Decimal | None:
        """In percent to one place, as downloads give it (never rounded up to 100)."""
        return self.score.rounded_percent(1)

    @property
    def status(self) -> str:
        return self.score.status

    @property
    def shown_score(self) -> Score:
        """The score with its numbers as people read them (a share of yes in percent), for
        the formula shown beside the achievement."""
        return self.score.scaled(HUNDRED) if self.is_share else self.score

    @property
    def scale(self) -> Decimal:
        """What a ratio KPI's quotient is multiplied by (100 for a percentage)."""
        return self.kpi.scale

    @property
    def measure(self) -> str:
        """The unit the shown value is read in: "%" for a share, the currency of an amount,
        else the KPI's unit."""
        if self.is_share:
            return "%"
        if self.kpi.unit == KPI.Unit.CURRENCY and self.kpi.currency:
            return self.kpi.currency
        return self.kpi.get_unit_display()

    # --- Coverage, freshness, place ------------------------------------------------------------

    @property
    def splits(self) -> list:
        """The parts of a split KPI beside the number, each dimension with the share of the
        reporting clusters that gave it (monitoring.rollups.selectors.rows_with_splits; empty
        when the reader did not ask for them)."""
        return getattr(self.row, "splits", [])

    @cached_property
    def coverage(self) -> Coverage:
        row = self.row
        return Coverage(row.clusters_reporting, row.clusters_expected, row.clusters_complete)

    @property
    def as_of(self):
        return self.row.computed_at

    @property
    def status_label(self) -> str:
        """The status in words ("No target" for a value without one)."""
        return self.score.label

    @property
    def level_label(self) -> str:
        return _("Global") if self.row.level == Level.GLOBAL else LEVEL_LABELS[self.row.level]

    @cached_property
    def url(self) -> str:
        """The explanation page of this number (its natural key survives a recompute)."""
        row = self.row
        return reverse("rollup-detail", args=[row.kpi_id, row.period_id, row.level, row.unit_id])


def figure(row: Rollup, *, stale_index: StaleIndex | None, unit_name: str = "") -> Figure:
    """Present a rollup row: scored with the thresholds of its KPI's template when the row
    carries them (selectors.rollup_list, cluster_rollups), else the default ones; stale as the
    markers say (without an index, for a reader that shows no freshness: not stale)."""
    score = kpi_score(
        actual=row.value,
        target=row.target,
        baseline=row.baseline,
        lower_is_better=row.kpi.direction == KPI.Direction.LOWER,
        green=getattr(row, "green", None),
        amber=getattr(row, "amber", None),
    )
    name = _("All") if row.level == Level.GLOBAL else unit_name or "—"
    stale = stale_index is not None and stale_index(row)
    return Figure(row, score, stale, name)
