"""Benchmarking: clusters compared within a peer group (same sector family, life-cycle stage
or country), with values per firm or per employee where that makes sense.

Rules chosen here (and tested in tests/dashboards/test_benchmark.py):
- Peers are the clusters in the user's scope with an approved value for the KPI in the period;
  a cluster belongs to one peer group per grouping.
- Confidentiality: a group of fewer than MIN_PEERS such clusters shows no individual value,
  not even in exports; only its size and a message. With two clusters, each could read the
  other's value off any comparison.
- Normalising: only KPIs summed across clusters (counts, amounts: "how many per firm") are
  divided by the cluster's number of firms or employees, and only when the cluster has that
  number (never divided by zero). Ratios, means, shares, minima and maxima are already
  comparable between clusters of different sizes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from accounts.scopes import clusters_in_scope
from clusters.models import LifecycleStage, SectorFamily
from monitoring.rollups import selectors as rollup_selectors
from monitoring.rollups.figures import Figure, StaleIndex, figure
from scorecards.models import KPI, Period

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


@dataclass
class Peer:
    cluster_id: int
    name: str
    firms: int
    employees: int
    figure: Figure
    per_firm: Decimal | None = None
    per_employee: Decimal | None = None


@dataclass
class PeerGroup:
    key: str
    label: str
    peers: list[Peer] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.peers)

    @property
    def confidential(self) -> bool:
        return self.size < MIN_PEERS

    @property
    def shown(self) -> list[Peer]:
        return [] if self.confidential else self.peers[:SHOWN_PER_GROUP]

    @property
    def more(self) -> int:
        return 0 if self.confidential else max(self.size - SHOWN_PER_GROUP, 0)


def normalises(kpi: KPI) -> bool:
    """Per firm and per employee only for KPIs that add up across clusters."""
    return kpi.aggregation == KPI.Aggregation.SUM


def per(value: Decimal | None, size: int) -> Decimal | None:
    if value is None or not size:
        return None
    return value / Decimal(size)


def peer_groups(user, *, kpi: KPI, period: Period, grouping: str) -> list[PeerGroup]:
    """The user's clusters with a value for the KPI in the period, in peer groups, best first
    within each group (by the KPI's direction). Four queries whatever the number of clusters."""
    key_field = _FIELD[grouping]
    clusters = {
        row["pk"]: row
        for row in clusters_in_scope(user)
        .order_by()
        .values("pk", "name", "number_of_firms", "employment", key_field, "country__name")
    }
    rows = rollup_selectors.cluster_rollups(
        period_ids=[period.pk], cluster_ids=list(clusters), kpi_ids=[kpi.pk]
    )
    rows = [r for r in rows if r.value is not None]
    stale_index = StaleIndex() if rows else None
    labels = _labels(grouping)
    groups: dict[str, PeerGroup] = {}
    normalise = normalises(kpi)
    for row in rows:
        cluster = clusters[row.unit_id]
        key = str(cluster[key_field])
        label = cluster["country__name"] if grouping == "country" else labels.get(key, key)
        peer = Peer(
            row.unit_id,
            cluster["name"],
            cluster["number_of_firms"],
            cluster["employment"],
            figure(row, stale_index=stale_index),
        )
        if normalise:
            peer.per_firm = per(row.value, peer.firms)
            peer.per_employee = per(row.value, peer.employees)
        groups.setdefault(key, PeerGroup(key, str(label))).peers.append(peer)
    lower_is_better = kpi.direction == KPI.Direction.LOWER
    for group in groups.values():
        group.peers.sort(
            key=lambda p: (p.figure.value if lower_is_better else -p.figure.value, p.name)
        )
    return sorted(groups.values(), key=lambda g: g.label)


def _labels(grouping: str) -> dict[str, str]:
    if grouping == "sector":
        return dict(SectorFamily.choices)
    if grouping == "stage":
        return dict(LifecycleStage.choices)
    return {}
