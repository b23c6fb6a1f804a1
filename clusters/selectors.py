"""Read queries for geography, clusters and committees, with their joins already attached."""

from django.db.models import Count, Prefetch, Q, QuerySet

from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Country,
    Meeting,
    Region,
    Sex,
    StakeholderType,
    SteeringCommittee,
)


def country_list() -> QuerySet[Country]:
    return Country.objects.all()


def region_list() -> QuerySet[Region]:
    return Region.objects.prefetch_related(Prefetch("countries", Country.objects.order_by("code")))


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("country")


def committee_list() -> QuerySet[SteeringCommittee]:
    return SteeringCommittee.objects.select_related("cluster")


def committee_member_list() -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.select_related("committee")


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee").prefetch_related(
        "decisions", Prefetch("attendees", CommitteeMember.objects.only("id", "committee_id"))
    )


def action_item_list() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("committee", "owner")


def committee_composition(committee: SteeringCommittee) -> dict:
    """Current members, and the shares of private-sector and of women members (None if empty)."""
    counts = committee.members.current().aggregate(
        total=Count("id"),
        private=Count("id", filter=Q(stakeholder_type=StakeholderType.PRIVATE)),
        women=Count("id", filter=Q(sex=Sex.FEMALE)),
    )
    total = counts["total"]
    return {
        "members": total,
        "private_share": counts["private"] / total if total else None,
        "women_share": counts["women"] / total if total else None,
    }
