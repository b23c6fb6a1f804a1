"""The shapes the committee tables are written in, and the short names their rows use."""

from typing import NamedTuple

from clusters.models import ActionItem, CommitteeMember, Sex, StakeholderType

# Short names keep each table row on one or two lines.
PUBLIC, PRIVATE, BSO_, NGO, ACADEMIA = (
    StakeholderType.PUBLIC,
    StakeholderType.PRIVATE,
    StakeholderType.BSO,
    StakeholderType.NGO,
    StakeholderType.ACADEMIA,
)
F, M = Sex.FEMALE, Sex.MALE
CHAIR, VICE, SECRETARY, MEMBER = (
    CommitteeMember.Role.CHAIR,
    CommitteeMember.Role.VICE_CHAIR,
    CommitteeMember.Role.SECRETARY,
    CommitteeMember.Role.MEMBER,
)
OPEN, IN_PROGRESS = ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS
DONE, CANCELLED = ActionItem.Status.DONE, ActionItem.Status.CANCELLED


class Member(NamedTuple):
    name: str
    organisation: str
    stakeholder_type: str
    role: str
    sex: str
    since: str
    until: str | None = None


class Meeting(NamedTuple):
    held_on: str
    location: str
    minutes: str
    decisions: tuple[str, ...]
    absent: tuple[str, ...] = ()  # everyone else who was a member that day attended


class Action(NamedTuple):
    title: str
    owner: str  # a member's name
    agreed_on: str | None  # the date of the meeting that agreed it
    due_in_days: int  # from the day the seed runs; negative and not done means overdue
    status: str


class Committee(NamedTuple):
    cluster: str
    name: str
    established_on: str
    members: tuple[Member, ...]
    meetings: tuple[Meeting, ...]
    actions: tuple[Action, ...]
