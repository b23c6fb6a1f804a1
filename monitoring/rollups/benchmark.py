"""Benchmarking: clusters compared within a peer group (same sector family, life-cycle stage
or country), with values per firm or per employee where that makes sense.

Rules chosen here (and tested in tests/dashboards/test_benchmark.py; the benchmarking page
and the competitiveness plans read it):
- Peers are the clusters with an approved value for the KPI in the period; a cluster belongs
  to one peer group per grouping. Ministries, regional bodies and administrators compare the
  clusters in their scope, by name. BSO staff and program officers, whose few clusters would
  rarely make a group, compare theirs with the whole platform, anonymised: of each group
  holding one of their clusters they see its size, median and quartiles and where their own
  clusters stand, never another cluster's name or value.
- Confidentiality: a group of fewer than MIN_PEERS such clusters shows no individual value and
  no median or quartile, not even in exports; only its size and a message. With two
  clusters, each could read the other's value off any comparison.
- Normalising: only KPIs summed across clusters (counts, amounts: "how many per firm") are
  divided by the cluster's number of firms or employees, and only when the cluster has that
  number (never divided by zero). Ratios, means, shares, minima and maxima are already
  comparable between clusters of different sizes.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from statistics import median, quantiles

from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.scopes import clusters_in_scope, scope_rollups
from clusters.models import Cluster, LifecycleStage, SectorFamily
from monitoring.models import Rollup
from monitoring.rollups import selectors as rollup_selectors
from monitoring.rollups.figures import Figure
from scorecards.models import KPI, Level, Period

MIN_PEERS = 3
# A page shows at most this many clusters per group (rendering is what costs on large
# programs); the export holds them all.
SHOWN_PER_GROUP = 15
GROUPINGS = {
    "sector": gettext_lazy("Sector family"),
    "stage": gettext_lazy("Life-cycle stage"),
    "country": gettext_lazy("Country"),
}
_FIELD = {"sector": "sector_family", "stage": "lifecycle_stage", "country": "country_id"}
# Roles that compare their clusters with the whole platform, anonymised.
PLATFORM_PEERS = {Role.BSO_STAFF, Role.PROGRAM_OFFICER}


def compares_with_platform(user) -> bool:
    return user.role in PLATFORM_PEERS


@dataclass(frozen=True)
class Spread:
    """A group's values as people read them: lower quartile, median, upper quartile."""

    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal


@dataclass
class Peer:
    cluster_id: int
    name: str
    firms: int
    employees: int
    value: Decimal  # the cluster's value (a cluster row's value is shown as it is)
    figure: Figure | None = None  # for the peers a page lists (peer_groups says which)
    per_firm: Decimal | None = None
    per_employee: Decimal | None = None


@dataclass
class PeerGroup:
    key: str
    label: str
    peers: list[Peer] = field(default_factory=list)  # best first
    anonymised: bool = False  # only the spread and the reader's own clusters are shown
    own_ids: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        return len(self.peers)

    @property
    def confidential(self) -> bool:
        return self.size < MIN_PEERS

    @property
    def listed(self) -> list[tuple[int, Peer]]:
        """(rank, peer) of every peer whose name and value may be shown: all of them, or the
        reader's own clusters in an anonymised group; none in a confidential one."""
        if self.confidential:
            return []
        ranked = list(enumerate(self.peers, start=1))
        if self.anonymised:
            return [(rank, p) for rank, p in ranked if p.cluster_id in self.own_ids]
        return ranked

    @property
    def listed_shown(self) -> list[tuple[int, Peer]]:
        """(rank, peer) of the listed peers a page shows (the first SHOWN_PER_GROUP)."""
        return self.listed[:SHOWN_PER_GROUP]

    @property
    def shown(self) -> list[Peer]:
        return [p for _rank, p in self.listed_shown]

    @property
    def more(self) -> int:
        return max(len(self.listed) - SHOWN_PER_GROUP, 0)

    @property
    def spread(self) -> Spread | None:
        """Quartiles and median of the group's values (as shown), when it is large enough."""
        if self.confidential:
            return None
        values = sorted(p.value for p in self.peers)
        lower, _middle, upper = quantiles(values, n=4, method="inclusive")
        return Spread(lower, median(values), upper)


def normalises(kpi: KPI) -> bool:
    """Per firm and per employee only for KPIs that add up across clusters."""
    return kpi.aggregation == KPI.Aggregation.SUM


def per(value: Decimal | None, size: int) -> Decimal | None:
    if value is None or not size:
        return None
    return value / Decimal(size)


def default_kpi(user, *, kpis: list[KPI], period: Period) -> KPI | None:
    """The first KPI (by code) with approved values in the period among the clusters the user
    compares: the platform's for BSO staff and officers, else the totals they may read. One
    query."""
    rows = Rollup.objects.filter(period=period, clusters_reporting__gt=0)
    if compares_with_platform(user):
        rows = rows.filter(level=Level.GLOBAL)
    else:
        rows = scope_rollups(rows, user)
    with_values = set(rows.values_list("kpi_id", flat=True).distinct())
    return next((k for k in kpis if k.pk in with_values), kpis[0] if kpis else None)


def peer_groups(
    user, *, kpi: KPI, period: Period, grouping: str, every_figure: bool = False
) -> list[PeerGroup]:
    """Clusters with a value for the KPI in the period, in peer groups, best first within each
    group (by the KPI's direction): the user's own (by name), or for BSO staff and officers the
    whole platform's, anonymised, in the groups holding one of theirs.

    Every peer's value is read in one narrow query (the ranks and quartiles need them all); the
    full figures (coverage, target, achievement) are read only for the peers a page lists (the
    first SHOWN_PER_GROUP listed of each group: in an anonymised group, the user's own), or for
    every listed peer with `every_figure` (the download). Four or five queries whatever the number
    of clusters."""
    own = clusters_in_scope(user)
    own_ids = frozenset(own.values_list("pk", flat=True))
    anonymised = compares_with_platform(user)
    peers_by_key, country_names = _peers(
        kpi=kpi, period=period, grouping=grouping, own=own, anonymised=anonymised
    )
    labels = _labels(grouping)
    lower_is_better = kpi.direction == KPI.Direction.LOWER
    groups = []
    for key, peers in peers_by_key.items():
        if not any(p.cluster_id in own_ids for p in peers):
            continue
        peers = rollup_selectors.best_first(
            peers,
            value=attrgetter("value"),
            name=attrgetter("name"),
            lower_is_better=lower_is_better,
        )
        label = country_names[key] if grouping == "country" else labels.get(key, key)
        groups.append(PeerGroup(key, str(label), peers, anonymised=anonymised, own_ids=own_ids))
    groups.sort(key=lambda g: g.label)
    _add_figures(groups, kpi=kpi, period=period, every=every_figure)
    return groups


def _peers(
    *, kpi, period, grouping, own, anonymised
) -> tuple[dict[str, list[Peer]], dict[str, str]]:
    """The peers compared (the platform's, or the user's own clusters), by peer group, and the
    countries' names by group (for the country grouping): the cluster rows' values, and the
    compared clusters' names, sizes and groups, in two queries."""
    key_field = _FIELD[grouping]
    compared = Cluster.objects.all() if anonymised else own
    value_of = rollup_selectors.cluster_values(
        kpi_id=kpi.pk, period_id=period.pk, clusters=compared
    )
    normalise = normalises(kpi)
    found: dict[str, list[Peer]] = {}
    country_names: dict[str, str] = {}
    # (two plain queries: a subquery per row for the cluster's fields costs more at 20,000)
    for pk, name, firms, employees, key, country_name in compared.order_by().values_list(
        "pk", "name", "number_of_firms", "employment", key_field, "country__name"
    ):
        value = value_of.get(pk)
        if value is None:
            continue
        peer = Peer(pk, name, firms, employees, value)
        if normalise:
            peer.per_firm, peer.per_employee = per(value, firms), per(value, employees)
        found.setdefault(str(key), []).append(peer)
        country_names[str(key)] = country_name
    return found, country_names


def _add_figures(groups: list[PeerGroup], *, kpi: KPI, period: Period, every: bool) -> None:
    """Give a figure to the peers listed on the page (or every listed peer): one query."""
    wanted = {
        p.cluster_id
        for group in groups
        for _rank, p in (group.listed if every else group.listed_shown)
    }
    figures = rollup_selectors.cluster_figures(
        kpi_id=kpi.pk, period_id=period.pk, cluster_ids=wanted
    )
    for group in groups:
        for peer in group.peers:
            peer.figure = figures.get(peer.cluster_id)


def _labels(grouping: str) -> dict[str, str]:
    if grouping == "sector":
        return dict(SectorFamily.choices)
    if grouping == "stage":
        return dict(LifecycleStage.choices)
    return {}
