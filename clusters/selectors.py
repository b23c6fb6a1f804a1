"""Read queries for geography, clusters and committees, with their joins already attached."""

import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

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
from core.dates import span_covers


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


# --- Pages -------------------------------------------------------------------------------


def cluster_detail() -> QuerySet[Cluster]:
    """Clusters with their country, steering committee and publication choice joined (the
    profile page links the public results page of a published cluster). The publication is
    reached by its reverse relation's name: public sits to the right of clusters."""
    return Cluster.objects.select_related("country", "committee", "publication")


def cluster_current_supports(cluster: Cluster) -> QuerySet:
    """The cluster's supports valid today, lead first, with their BSO joined.

    Reached through the reverse relation: bsos sits to the right of clusters, so this
    module does not import its models.
    """
    return cluster.supports.current().select_related("bso").order_by("role", "bso__name")


def committee_current_members(committee: SteeringCommittee) -> QuerySet[CommitteeMember]:
    """Members sitting on the committee today, chair first, then by name."""
    return (
        committee.members.current()
        .annotate(role_rank=_role_order())
        .order_by("role_rank", "name", "pk")
    )


def _role_order() -> Case:
    """Chair, vice-chair, secretary, member: the order committees list their seats in."""
    return Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(CommitteeMember.Role)),
        output_field=IntegerField(),
    )


def committee_open_action_items(committee: SteeringCommittee) -> QuerySet[ActionItem]:
    """Open and in-progress action items with their owner, earliest due first (undated last)."""
    return (
        committee.action_items.open()
        .select_related("owner")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def committee_open_items(
    committee: SteeringCommittee, *, today: datetime.date
) -> list[tuple[ActionItem, bool]]:
    """The open action items, each with whether it is overdue today (its due date has passed),
    as templates/clusters/_action_items.html lists them."""
    return [
        (item, item.due_on is not None and item.due_on < today)
        for item in committee_open_action_items(committee)
    ]


def committee_last_meeting_date(committee: SteeringCommittee) -> datetime.date | None:
    return committee.meetings.aggregate(last=Max("held_on"))["last"]


# --- Governance pages ------------------------------------------------------------------------


def committee_members(committee: SteeringCommittee) -> QuerySet[CommitteeMember]:
    """Every member the committee has had: current ones first (chair first, then by name),
    then past ones; each with `current` (sitting today)."""
    sitting = Case(When(span_covers(), then=Value(True)), default=Value(False))
    return committee.members.annotate(current=sitting, role_rank=_role_order()).order_by(
        "-current", "role_rank", "name", "pk"
    )


def committee_meetings(committee: SteeringCommittee) -> QuerySet[Meeting]:
    """The committee's meetings, newest first, with their decisions, attendees and the activity
    that logs each (monitoring's Activity.meeting, reached through the reverse relation)."""
    return (
        committee.meetings.select_related("activity")
        .prefetch_related(
            "decisions", Prefetch("attendees", CommitteeMember.objects.order_by("name"))
        )
        .order_by("-held_on", "-pk")
    )


def meeting_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    """Every action item agreed at the meeting, whatever its status, with owner and decision."""
    return meeting.action_items.select_related("owner", "decision").order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )
