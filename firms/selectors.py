"""Read queries of the firm registry: lists, a firm's page, likely duplicates and distinct
counts of firms above a cluster."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from clusters.models import Cluster
from core.dates import span_covers
from firms.imports import COLUMNS
from firms.models import Firm, Membership


def firm_list() -> QuerySet[Firm]:
    """Firms with their country, and the number of clusters they belong to today."""
    return (
        Firm.objects.select_related("country")
        .annotate(clusters_now=Count("memberships", filter=span_covers(prefix="memberships__")))
        .order_by("name", "pk")
    )


def firm_detail() -> QuerySet[Firm]:
    """Firms with their memberships (and clusters) and the BSOs that serve them prefetched, and
    the number of activities they took part in (monitoring's, named from here by their
    relation only)."""
    memberships = Membership.objects.select_related("cluster__country").order_by("-since", "pk")
    return (
        Firm.objects.select_related("country")
        .annotate(activities_count=Count("activities"))
        .prefetch_related(Prefetch("memberships", memberships), Prefetch("bsos"))
    )


def with_current_clusters(firms: QuerySet[Firm]) -> QuerySet[Firm]:
    """The firms, each with `current_memberships` (and their clusters) prefetched."""
    current = Membership.objects.current().select_related("cluster").order_by("cluster__name")
    return firms.prefetch_related(Prefetch("memberships", current, to_attr="current_memberships"))


def firm_export_headers() -> list[str]:
    """The list page's download: the import's columns (firms.imports), then today's clusters."""
    return [str(label) for key, label in COLUMNS if key not in ("cluster", "since")] + [
        _("Clusters today")
    ]


def firm_export_rows(firms: Iterable[Firm]) -> Iterator[list]:
    """Rows of with_current_clusters(): codes as the import takes them, women-led as yes/no."""
    for firm in firms:
        yield [
            firm.name,
            firm.tax_id,
            firm.country.code,
            firm.locality,
            firm.sector,
            firm.size_class,
            _("yes") if firm.women_led else _("no"),
            firm.founded,
            firm.contact_name,
            firm.email,
            firm.phone,
            "; ".join(m.cluster.code for m in firm.current_memberships),
        ]


def membership_list() -> QuerySet[Membership]:
    return Membership.objects.select_related("firm", "cluster").order_by("firm__name", "since")


def firms_of_cluster(cluster_id: int, *, on: datetime.date | None = None) -> QuerySet[Firm]:
    """Members of a cluster on a date (today by default)."""
    members = Membership.objects.current(on).filter(cluster_id=cluster_id)
    return Firm.objects.filter(pk__in=members.values("firm_id")).order_by("name", "pk")


# --- Distinct counts -------------------------------------------------------------------------


def firm_count(clusters: QuerySet[Cluster], *, on: datetime.date | None = None) -> int:
    """How many firms belong, on a date (today by default), to any of these clusters: a firm in
    two of them counts once (DESIGN.md: a firm in two clusters of a country is one firm in the
    national total). One query."""
    members = Membership.objects.current(on).filter(cluster__in=clusters.values("pk"))
    return members.aggregate(firms=Count("firm_id", distinct=True))["firms"]


def firm_count_of_country(country_id: int, *, on: datetime.date | None = None) -> int:
    """Distinct member firms of a country's clusters (the national figure)."""
    return firm_count(Cluster.objects.filter(country_id=country_id), on=on)


def firm_count_of_cluster(cluster_id: int, *, on: datetime.date | None = None) -> int:
    return firm_count(Cluster.objects.filter(pk=cluster_id), on=on)


def firm_counts_by_cluster(
    clusters: QuerySet[Cluster], *, on: datetime.date | None = None
) -> dict[int, int]:
    """Cluster id -> its member firms on a date (each cluster's own count; their sum may exceed
    firm_count of the same clusters). One query."""
    members = Membership.objects.current(on).filter(cluster__in=clusters.values("pk"))
    rows = members.values("cluster_id").annotate(firms=Count("firm_id", distinct=True))
    return {row["cluster_id"]: row["firms"] for row in rows}


# --- Likely duplicates -----------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    """Two firms that are likely one, and why: "tax_id" or "name"."""

    first: Firm
    second: Firm
    reason: str


def duplicate_pairs(firms: QuerySet[Firm], *, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of these firms that are likely the same firm:

    - the same tax id (letters and digits compared, whatever the country: the unique constraint
      already keeps one per country, so a pair is a firm registered under two countries), or
    - the same name key (case, accents, punctuation and legal forms such as S.A., SRL, Ltd.
      ignored: firms.names) in the same country and locality (compared the same way), unless
      both carry a tax id and the ids differ (then they are two firms of one name).

    Each pair once, the older firm first, at most `limit` pairs. Two queries."""
    firms = firms.order_by()
    same_tax_id = firms.exclude(tax_id="").filter(
        Exists(firms.filter(tax_id=OuterRef("tax_id")).exclude(pk=OuterRef("pk")))
    )
    same_name = firms.filter(
        Exists(
            firms.filter(
                name_key=OuterRef("name_key"),
                country_id=OuterRef("country_id"),
                locality_key=OuterRef("locality_key"),
            ).exclude(pk=OuterRef("pk"))
        )
    )
    candidates = list(
        Firm.objects.filter(Q(pk__in=same_tax_id.values("pk")) | Q(pk__in=same_name.values("pk")))
        .select_related("country")
        .order_by("pk")
    )
    pairs: list[DuplicatePair] = []
    seen: set[tuple[int, int]] = set()
    by_tax_id: dict[str, list[Firm]] = {}
    by_name: dict[tuple, list[Firm]] = {}
    for firm in candidates:
        if firm.tax_id:
            by_tax_id.setdefault(firm.tax_id, []).append(firm)
        by_name.setdefault((firm.name_key, firm.country_id, firm.locality_key), []).append(firm)
    for reason, groups in (("tax_id", by_tax_id), ("name", by_name)):
        for group in groups.values():
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    if (first.pk, second.pk) in seen:
                        continue
                    both_ids = first.tax_id and second.tax_id
                    if reason == "name" and both_ids and first.tax_id != second.tax_id:
                        continue  # two firms of one name: their tax ids differ
                    seen.add((first.pk, second.pk))
                    pairs.append(DuplicatePair(first, second, reason))
                    if len(pairs) >= limit:
                        return pairs
    return pairs
