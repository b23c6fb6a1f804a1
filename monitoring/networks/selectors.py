"""A cluster's collaboration network over spans of time, read from the database.

Ties come from:
- joint activities of the log (the joint-action types: trade fairs, joint purchasing and
  marketing, export consortia, collective services, supplier development) dated in the span:
  the firms that took part are tied to each other, and each to the BSO that ran it;
- the answers of a survey round to "which firms / organisations do you cooperate with"
  (surveys.selectors.cooperation_ties_of_rounds): a firm respondent is tied to each firm or
  BSO it named. A tie named by both sides is one tie.

Nodes are the cluster's member firms during the span (a membership overlapping it), plus any
firm or organisation a tie names.

The spans are the cluster's survey rounds that ask who firms cooperate with (each round's
dates, its answers and the joint activities logged in those dates), oldest first. A cluster
without such a round gets calendar years instead, from the first year with a membership or a
joint activity to this year (activities only).

Every network of a cluster, for all its spans, is read in at most six queries (memberships,
joint activities, their participant firms, the rounds' ties, and the names of firms and
BSOs the ties name) and sorted into spans in Python.
"""

import datetime
from dataclasses import dataclass
from itertools import combinations

from django.utils import timezone
from django.utils.translation import gettext as _

from bsos.models import BSO
from clusters.models import Cluster
from firms.models import Firm, Membership
from monitoring.models import JOINT_ACTION_TYPES, Activity
from monitoring.networks.figures import (
    FIRM,
    JOINT_ACTIVITY,
    ORGANISATION,
    SURVEY,
    Figures,
    Network,
    Node,
    network_figures,
)
from surveys.selectors import cooperation_rounds, cooperation_ties_of_rounds

MOST_YEARS = 10


@dataclass(frozen=True)
class Span:
    key: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    round_id: int | None = None  # a survey round's span

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
    """The cluster's cooperation rounds, oldest first (the latest MOST_YEARS); without any,
    calendar years from the first membership or joint activity (at most MOST_YEARS back) to
    this year."""
    rounds = list(cooperation_rounds(cluster.pk).values_list("pk", "title", "starts_on", "ends_on"))
    if rounds:
        return [
            Span(f"round-{pk}", title, starts_on, ends_on, round_id=pk)
            for pk, title, starts_on, ends_on in rounds[-MOST_YEARS:]
        ]
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

    answered = cooperation_ties_of_rounds(
        [span.round_id for span in spans if span.round_id], cluster_id=cluster.pk
    )
    names = _tie_names(answered)
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
        for firm_id, kind, other_id in answered.get(span.round_id, []):
            respondent = Node(FIRM, firm_id, names[FIRM].get(firm_id, "?"))
            other_kind = FIRM if kind == "firm" else ORGANISATION
            other = Node(other_kind, other_id, names[other_kind].get(other_id, "?"))
            network.add_tie(respondent, other, SURVEY)
        result.append(SpanNetwork(span, network, network_figures(network)))
    return result


def _tie_names(answered: dict) -> dict[str, dict[int, str]]:
    """Names of the firms and BSOs the rounds' ties name (two queries at most)."""
    firms = {f for ties in answered.values() for f, _kind, _o in ties}
    firms |= {o for ties in answered.values() for _f, kind, o in ties if kind == "firm"}
    bsos = {o for ties in answered.values() for _f, kind, o in ties if kind == "bso"}
    return {
        FIRM: dict(Firm.objects.filter(pk__in=firms).values_list("pk", "name")) if firms else {},
        ORGANISATION: dict(BSO.objects.filter(pk__in=bsos).values_list("pk", "name"))
        if bsos
        else {},
    }


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
