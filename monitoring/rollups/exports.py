"""The rollup list as a download: one row per rollup row, as the page shows it, never a value
without its coverage."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.models import Rollup
from monitoring.rollups.figures import StaleIndex, figure
from scorecards.numbers import kpi_number

HEADERS = [
    gettext_lazy("KPI code"),
    gettext_lazy("KPI"),
    gettext_lazy("Unit of measure"),
    gettext_lazy("Level"),
    gettext_lazy("Unit"),
    gettext_lazy("Period"),
    gettext_lazy("Value"),
    gettext_lazy("Target"),
    gettext_lazy("Target derived from cluster targets"),
    gettext_lazy("Numerator"),
    gettext_lazy("Denominator"),
    gettext_lazy("Women"),
    gettext_lazy("Men"),
    gettext_lazy("Achievement (%)"),
    gettext_lazy("Status"),
    gettext_lazy("Clusters reporting"),
    gettext_lazy("Clusters expected"),
    gettext_lazy("Clusters with all four quarters approved"),
    gettext_lazy("As of"),
    gettext_lazy("Waiting for recompute"),
]


def rows(found: Iterator[Rollup]) -> Iterator[list]:
    """Rollup rows (of selectors.rollup_table or cluster_rollup_table: with their unit's name)
    presented like the page's lines, one download row each; a yes/no KPI's share (above
    cluster level) is given in percent, like the page."""
    stale_index = StaleIndex()
    for row in found:
        f = figure(row, stale_index=stale_index, unit_name=row.unit_sort)
        yield [
            f.kpi.code,
            f.kpi.name,
            f.measure,
            f.level_label,
            f.unit_name,
            row.period.shown_label,
            kpi_number(f.shown_value, f.kpi),
            kpi_number(f.shown_target, f.kpi),
            (_("yes") if f.target_derived else _("no")) if f.target is not None else None,
            row.numerator,
            row.denominator,
            row.value_women,
            row.value_men,
            f.achievement_percent,
            f.status_label,
            f.coverage.reporting,
            f.coverage.expected,
            f.coverage.complete,
            timezone.localtime(f.as_of),
            _("yes") if f.stale else _("no"),
        ]
