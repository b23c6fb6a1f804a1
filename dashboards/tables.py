"""Each dashboard table as plain headers and rows, for its CSV and XLSX downloads.

The rows are built from the same objects the page shows (so a download never holds a number
the page lacks, nor one outside the user's scope) and handed to core.exports, which
neutralises cells a spreadsheet would read as formulas.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from dashboards.roles import OffTrack, ToDo
from dashboards.selectors import PerspectiveGroup, RankedCluster, RegionTable
from monitoring.rollups.benchmark import PeerGroup
from monitoring.rollups.figures import Figure
from scorecards.numbers import kpi_number


@dataclass
class Table:
    headers: list[str]
    rows: Iterable[list]


def _figure_cells(f: Figure | None) -> list:
    """Value, target, achievement (%), status, reporting, expected, computed at, stale; the
    numbers as the page shows them (monitoring.rollups.figures), rounded to the KPI's decimal
    places (a share of yes in percent), the achievement in percent to one place."""
    if f is None:
        return [None] * 8
    return [
        kpi_number(f.shown_value, f.kpi),
        kpi_number(f.shown_target, f.kpi),
        f.achievement_percent,
        f.status_label,
        f.coverage.reporting,
        f.coverage.expected,
        f.as_of,
        _("yes") if f.stale else _("no"),
    ]


def _figure_headers() -> list[str]:
    return [
        _("Value"),
        _("Target"),
        _("Achievement (%)"),
        _("Status"),
        _("Clusters reporting"),
        _("Clusters expected"),
        _("As of"),
        _("Waiting for recompute"),
    ]


def national_table(groups: list[PerspectiveGroup]) -> Table:
    rows = [
        [
            group.name or _("Other KPIs"),
            line.kpi.code,
            line.kpi.name,
            line.figure.row.period.shown_label,
            *_figure_cells(line.figure),
        ]
        for group in groups
        for line in group.lines
    ]
    return Table([_("Perspective"), _("KPI code"), _("KPI"), _("Period"), *_figure_headers()], rows)


def ranking_table(ranking: list[RankedCluster]) -> Table:
    rows = [[r.rank, r.name, *_figure_cells(r.figure)] for r in ranking]
    return Table([_("Rank"), _("Cluster"), *_figure_headers()], rows)


def region_export(table: RegionTable, region_name: str) -> Table:
    rows = []
    for index, kpi in enumerate(table.kpis):
        rows.append([region_name, kpi.code, kpi.name, *_figure_cells(table.region_figures[index])])
        rows += [
            [country.name, kpi.code, kpi.name, *_figure_cells(figures[index])]
            for country, figures in table.countries
        ]
    return Table([_("Unit"), _("KPI code"), _("KPI"), *_figure_headers()], rows)


def benchmark_table(groups: list[PeerGroup]) -> Table:
    """Only groups large enough to show individual values (benchmark.MIN_PEERS), and in an
    anonymised group only the reader's own clusters: the rows the page lists."""
    rows = [
        [
            group.label,
            group.size,
            *_spread_cells(group),
            rank,
            peer.name,
            peer.firms,
            peer.employees,
            *_figure_cells(peer.figure)[:6],
            _per(peer.per_firm, peer),
            _per(peer.per_employee, peer),
        ]
        for group in groups
        for rank, peer in group.listed
    ]
    headers = [
        _("Peer group"),
        _("Clusters in group"),
        _("Lower quartile"),
        _("Median"),
        _("Upper quartile"),
        _("Rank"),
        _("Cluster"),
        _("Firms"),
        _("Employees"),
        *_figure_headers()[:6],
        _("Per firm"),
        _("Per employee"),
    ]
    return Table(headers, rows)


def _per(number: Decimal | None, peer) -> Decimal | None:
    """A value per firm or per employee: the KPI's decimal places and two more."""
    if peer.figure is None:
        return number
    return kpi_number(number, peer.figure.kpi, extra_places=2)


def _spread_cells(group: PeerGroup) -> list:
    spread = group.spread
    if spread is None:
        return [None] * 3
    kpi = next((peer.figure.kpi for peer in group.peers if peer.figure is not None), None)
    quartiles = [spread.lower_quartile, spread.median, spread.upper_quartile]
    return quartiles if kpi is None else [kpi_number(q, kpi) for q in quartiles]


def to_do_table(items: list[ToDo]) -> Table:
    rows = [[i.cluster, i.period, i.deadline, i.state] for i in items]
    return Table([_("Cluster"), _("Period"), _("Deadline"), _("State")], rows)


def off_track_table(items: list[OffTrack]) -> Table:
    rows = [
        [o.cluster, o.period.label, len(o.red_kpis), ", ".join(k.code for k in o.red_kpis)]
        for o in items
    ]
    return Table([_("Cluster"), _("Period"), _("Red KPIs"), _("KPI codes")], rows)
