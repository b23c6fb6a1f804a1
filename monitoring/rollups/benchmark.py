"""Benchmarking: clusters compared within a peer group (same sector family, life-cycle stage
or country), with values per firm or per employee where that makes sense.

Rules chosen here (tested in tests/dashboards/test_benchmark.py and test_benchmark_ranks.py;
the benchmarking page and the competitiveness plans read it):
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

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.scopes import clusters_in_scope, scope_rollups
from clusters.models import LifecycleStage, SectorFamily
from monitoring.models import ClusterRollup, Rollup
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
    rank: int  # in its group, best first (by the KPI's direction, then by name)
    own: bool  # in the reader's scope
    figure: Figure | None = None  # for the peers a page lists (peer_groups says which)
    per_firm: Decimal | None = None
    per_employee: Decimal | None = None


@dataclass
class PeerGroup:
    """A peer group as the database ranked and cut it: its size, its spread, and the peers read
    (best first): those a page may list and, for the spread, those at the quartile positions."""

    key: str
    label: str
    size: int  # clusters with a value in the group
    owned: int  # of them in the reader's scope
    spread: Spread | None  # None in a confidential group
    peers: list[Peer] = field(default_factory=list)
    anonymised: bool = False  # only the spread and the reader's own clusters are shown

    @property
    def confidential(self) -> bool:
        return self.size < MIN_PEERS

    @property
    def listed(self) -> list[tuple[int, Peer]]:
        """(rank, peer) of the peers read whose name and value may be shown: any of them, or
        the reader's own clusters in an anonymised group; none in a confidential one."""
        if self.confidential:
            return []
        return [(p.rank, p) for p in self.peers if p.own or not self.anonymised]

    @property
    def listed_shown(self) -> list[tuple[int, Peer]]:
        """(rank, peer) of the listed peers a page shows (the first SHOWN_PER_GROUP)."""
        return self.listed[:SHOWN_PER_GROUP]

    @property
    def shown(self) -> list[Peer]:
        return [p for _rank, p in self.listed_shown]

    @property
    def more(self) -> int:
        """How many listable peers the page leaves to the download."""
        if self.confidential:
            return 0
        return max((self.owned if self.anonymised else self.size) - SHOWN_PER_GROUP, 0)


def quartile_positions(size: int) -> set[int]:
    """The positions (from 0, values ascending) the spread of `size` values reads: for each
    quartile i, (size - 1) * i // 4 and the next. The median is among them."""
    return {j + step for i in (1, 2, 3) for j in [(size - 1) * i // 4] for step in (0, 1)}


def spread_at(size: int, value_at: dict[int, Decimal]) -> Spread:
    """The spread of `size` values from the values at quartile_positions(size) alone: what
    statistics.quantiles(method="inclusive") and statistics.median give on all of them."""

    def quartile(i: int) -> Decimal:
        j, delta = divmod((size - 1) * i, 4)
        if not delta:
            return value_at[j]
        return (value_at[j] * (4 - delta) + value_at[j + 1] * delta) / 4

    middle = size // 2
    if size % 2:
        return Spread(quartile(1), value_at[middle], quartile(3))
    return Spread(quartile(1), (value_at[middle - 1] + value_at[middle]) / 2, quartile(3))


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

    The database ranks each group and cuts it (_RANKED): a page reads the peers it lists (the
    first SHOWN_PER_GROUP listed of each group: in an anonymised group, the user's own) and
    those at the quartile positions, whatever the number of clusters; with `every_figure` (the
    download) every listed peer. Full figures (coverage, target, achievement) are read for the
    peers listed on the page, or for all of them with `every_figure`. Six queries at most."""
    groups = _ranked(user, kpi=kpi, period=period, grouping=grouping, every=every_figure)
    _add_figures(groups, kpi=kpi, period=period, every=every_figure)
    return groups


def peer_group_of(
    user, *, cluster_id: int, kpi: KPI, period: Period, grouping: str
) -> PeerGroup | None:
    """The peer group holding this cluster of the user's, with the cluster among its peers
    (listed with its rank), or None when the cluster has no value for the KPI in the period."""
    groups = _ranked(user, kpi=kpi, period=period, grouping=grouping, also=cluster_id)
    group = next((g for g in groups if any(p.cluster_id == cluster_id for p in g.peers)), None)
    if group is not None:
        _add_figures([group], kpi=kpi, period=period, every=False)
    return group


# Each compared cluster's row of the KPI in the period, ranked in its peer group (best first:
# value in the KPI's direction, then name), with the group's size and how many of it are the
# reader's; only the rows wanted are returned. A row's position among the group's values in
# ascending order is size - rank (a KPI where higher is better) or rank - 1.
# One ordering serves both ranks: a running count of the reader's rows is, on each of them, its
# rank among them. Only the narrow rows are sorted; sizes and country names are joined to the
# few rows kept.
_RANKED = """\
SELECT ranked.id, ranked.name, c.number_of_firms, c.employment, ranked.group_key, co.name,
       CAST(ranked.value AS TEXT), ranked.own, ranked.peer_rank, ranked.group_size,
       ranked.owned, {position} AS value_position
FROM (
    SELECT compared.*,
           ROW_NUMBER() OVER peers AS peer_rank,
           SUM(own) OVER peers AS rank_among_own,
           COUNT(*) OVER peer_group AS group_size,
           SUM(own) OVER peer_group AS owned
    FROM (
        SELECT c.id, c.name, c.{key} AS group_key, r.value, {own} AS own
        FROM monitoring_clusterrollup r
        JOIN clusters_cluster c ON c.id = r.unit_id
        WHERE r.kpi_id = %s AND r.period_id = %s AND r.value IS NOT NULL{compared}
    ) compared
    WINDOW peer_group AS (PARTITION BY group_key),
           peers AS (peer_group ORDER BY value {order}, name, id)
) ranked
JOIN clusters_cluster c ON c.id = ranked.id
JOIN clusters_country co ON co.id = c.country_id
WHERE ranked.owned > 0 AND ({wanted} OR ranked.id = %s OR {position} IN (
    (group_size - 1) / 4, (group_size - 1) / 4 + 1,
    (group_size - 1) * 2 / 4, (group_size - 1) * 2 / 4 + 1,
    (group_size - 1) * 3 / 4, (group_size - 1) * 3 / 4 + 1
))
ORDER BY ranked.group_key, ranked.peer_rank"""

# The rows a page lists (every listable row for a download), by who reads them.
_WANTED = {
    # (anonymised, every)
    (False, False): "peer_rank <= %s",
    (False, True): "1 = 1",
    (True, False): "(own = 1 AND rank_among_own <= %s)",
    (True, True): "own = 1",
}


def _ranked(
    user, *, kpi: KPI, period: Period, grouping: str, every: bool = False, also: int | None = None
) -> list[PeerGroup]:
    """The peer groups holding one of the user's clusters, each with the peers wanted (see
    peer_groups; `also`: this cluster's row too), by label. One query.

    The reader's scope (accounts.scopes) is the subquery: of the clusters compared, or for
    those who compare with the whole platform, of the clusters that are their own. It runs where
    the rows would be read (a dashboard's reads go to the replica, core.routers)."""
    reading = router.db_for_read(ClusterRollup)
    try:
        own = clusters_in_scope(user).order_by().values("pk").query  # no ORDER BY in IN (...)
        own_sql, own_params = own.get_compiler(using=reading).as_sql()
    except EmptyResultSet:  # a scope of no clusters
        return []
    anonymised = compares_with_platform(user)
    lower_is_better = kpi.direction == KPI.Direction.LOWER
    sql = _RANKED.format(
        order="ASC" if lower_is_better else "DESC",
        key=_FIELD[grouping],
        own=f"CASE WHEN c.id IN ({own_sql}) THEN 1 ELSE 0 END" if anonymised else "1",
        compared="" if anonymised else f" AND c.id IN ({own_sql})",
        wanted=_WANTED[anonymised, every],
        position="peer_rank - 1" if lower_is_better else "group_size - peer_rank",
    )
    params = [
        *(own_params if anonymised else ()),
        kpi.pk,
        period.pk,
        *(() if anonymised else own_params),
        *(() if every else (SHOWN_PER_GROUP,)),
        also,
    ]
    with connections[reading].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _groups(rows, kpi=kpi, grouping=grouping, anonymised=anonymised)


def _groups(rows, *, kpi: KPI, grouping: str, anonymised: bool) -> list[PeerGroup]:
    """The ranked rows (by group, best first) as peer groups, with their spreads."""
    labels = _labels(grouping)
    normalise = normalises(kpi)
    groups: dict[str, PeerGroup] = {}
    value_at: dict[str, dict[int, Decimal]] = {}
    for pk, name, firms, employees, key, country_name, value, own, rank, size, owned, at in rows:
        key, value = str(key), Decimal(value)
        group = groups.get(key)
        if group is None:
            label = country_name if grouping == "country" else labels.get(key, key)
            group = groups[key] = PeerGroup(key, str(label), size, owned, None, [], anonymised)
            value_at[key] = {}
        peer = Peer(pk, name, firms, employees, value, rank, bool(own))
        if normalise:
            peer.per_firm, peer.per_employee = per(value, firms), per(value, employees)
        group.peers.append(peer)
        value_at[key][at] = value
    for key, group in groups.items():
        if not group.confidential:
            group.spread = spread_at(group.size, value_at[key])
    return sorted(groups.values(), key=lambda g: g.label)


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
