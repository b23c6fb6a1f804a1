"""A cluster's collaboration network over spans of time, read from the database.

Ties come from:
- joint activities of the log (the joint-action types: trade fairs, joint purchasing and
  marketing, export consortia, collective services, supplier development) dated in the span:
  the firms that took part are tied to each other, and each to the BSO that ran it;
- (survey rounds add the "who do you cooperate with" answers when the surveys room has them.)

Nodes are the cluster's member firms during the span (a membership overlapping it), plus any
firm or organisation a tie names. A span is a calendar year here, from the first year with a
membership or a joint activity to this year.

Every network of a cluster, for all its spans, is read in three queries (memberships, joint
activities, their participant firms) and sorted into spans in Python.
"""

import datetime
from dataclasses import dataclass
from itertools import combinations

from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster
from firms.models import Membership
from monitoring.models import JOINT_ACTION_TYPES, Activity
from monitoring.networks.figures import (
    FIRM,
    JOINT_ACTIVITY,
    ORGANISATION,
    Figures,
    Network,
    Node,
    network_figures,
)

MOST_YEARS = 10


@dataclass(frozen=True)
class Span:
    key: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date

    def holds(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, since: datetime.date, until: datetime.date | None) -> bool:
        return since <= self.ends_on and (until is None or until >= self.starts_on)


@dataclass(frozen=True)
class SpanNetwork:
    span: Span
    network: Network
    figures: Figures


def network_spans(cluster: Cluster, *, today: datetime.date | None = None) -> list[Span]:
    """Calendar years, oldest first: from the first membership or joint activity (at most
    MOST_YEARS back) to this year."""
    this_year = (today or timezone.localdate()).year
    firsts = [
        Membership.objects.filter(cluster=cluster).order_by("since").values_list("since").first(),
        _joint_activities(cluster).order_by("date").values_list("date").first(),
    ]
    years = [row[0].year for row in firsts if row]
    first = max(min(years, default=this_year), this_year - MOST_YEARS + 1)
    return [_year_span(year) for year in range(min(first, this_year), this_year + 1)]


def _year_span(year: int) -> Span:
    return Span(str(year), str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def span_by_key(spans: list[Span], key: str | None) -> Span | None:
    """The span named by `key`, the latest when none is asked; None for an unknown key."""
    if not key:
        return spans[-1] if spans else None
    return next((span for span in spans if span.key == key), None)


def _joint_activities(cluster: Cluster):
    return Activity.objects.filter(cluster=cluster, type__in=JOINT_ACTION_TYPES)


def cluster_networks(cluster: Cluster, spans: list[Span]) -> list[SpanNetwork]:
    """The network and its figures for each span, in the order of `spans` (three queries)."""
    if not spans:
        return []
    start, end = min(s.starts_on for s in spans), max(s.ends_on for s in spans)
    memberships = list(
        Membership.objects.filter(cluster=cluster, since__lte=end)
        .exclude(until__lt=start)
        .values_list("firm_id", "firm__name", "since", "until")
    )
    activities = {
        row[0]: row[1:]
        for row in _joint_activities(cluster)
        .filter(date__range=(start, end))
        .values_list("pk", "date", "bso_id", "bso__name")
    }
    participants: dict[int, list[Node]] = {}
    through = Activity.participant_firms.through.objects.filter(activity_id__in=list(activities))
    for activity_id, firm_id, name in through.values_list(
        "activity_id", "firm_id", "firm__name"
    ).order_by("activity_id", "firm__name", "firm_id"):
        participants.setdefault(activity_id, []).append(Node(FIRM, firm_id, name))

    result = []
    for span in spans:
        network = Network()
        for firm_id, name, since, until in sorted(memberships, key=lambda row: (row[1], row[0])):
            if span.overlaps(since, until):
                network.add_node(Node(FIRM, firm_id, name, member=True))
        for activity_id, (day, bso_id, bso_name) in sorted(activities.items()):
            if not span.holds(day):
                continue
            firms = participants.get(activity_id, [])
            for a, b in combinations(firms, 2):
                network.add_tie(a, b, JOINT_ACTIVITY)
            bso = Node(ORGANISATION, bso_id, bso_name)
            for firm in firms:
                network.add_tie(firm, bso, JOINT_ACTIVITY)
        result.append(SpanNetwork(span, network, network_figures(network)))
    return result


def source_label(source: str) -> str:
    return {JOINT_ACTIVITY: _("joint activity")}.get(source, _("survey answer"))


def node_rows(network: Network) -> list[tuple[Node, int]]:
    """Each node with its degree: firms first, then organisations, by name."""
    degree = network.degrees()
    nodes = sorted(network.nodes.values(), key=lambda node: (node.kind != FIRM, node.label))
    return [(node, degree[node.key]) for node in nodes]


def tie_rows(network: Network) -> list[tuple[Node, Node, list[str]]]:
    """Each tie as (node, node, the names of its sources), by the nodes' names."""
    rows = []
    for pair, sources in network.ties.items():
        a, b = sorted((network.nodes[key] for key in pair), key=lambda node: node.label)
        rows.append((a, b, sorted(source_label(source) for source in sources)))
    return sorted(rows, key=lambda row: (row[0].label, row[1].label))
