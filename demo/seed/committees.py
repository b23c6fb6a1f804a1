"""Demo steering committees: members, meetings with their attendees and decisions, and
action items, from the tables of demo.committees."""

import datetime

from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Decision,
    Meeting,
    SteeringCommittee,
)
from demo.committees import COMMITTEES
from demo.seed.rows import SeedReport, iso_date, upsert


def seed_committees(report: SeedReport, clusters: dict[str, Cluster], today: datetime.date) -> None:
    for row in COMMITTEES:
        committee = upsert(
            report,
            SteeringCommittee,
            keys={"cluster": clusters[row.cluster]},
            values={"name": row.name, "established_on": iso_date(row.established_on)},
        )
        members = {}
        for member in row.members:
            values = member._asdict()
            name = values.pop("name")
            values["since"], values["until"] = iso_date(member.since), iso_date(member.until)
            members[name] = upsert(
                report,
                CommitteeMember,
                keys={"committee": committee, "name": name},
                values=values,
            )
        meetings = {}
        for meeting in row.meetings:
            held_on = iso_date(meeting.held_on)
            attendees = [
                m
                for name, m in members.items()
                if m.since <= held_on
                and (m.until is None or m.until >= held_on)
                and name not in meeting.absent
            ]
            meetings[meeting.held_on] = upsert(
                report,
                Meeting,
                keys={"committee": committee, "held_on": held_on},
                values={"location": meeting.location, "minutes": meeting.minutes},
                m2m={"attendees": attendees},
            )
            for text in meeting.decisions:
                upsert(report, Decision, keys={"meeting": meetings[meeting.held_on], "text": text})
        for action in row.actions:
            upsert(
                report,
                ActionItem,
                keys={"committee": committee, "title": action.title},
                values={
                    "meeting": meetings[action.agreed_on] if action.agreed_on else None,
                    "owner": members[action.owner],
                    "due_on": today + datetime.timedelta(days=action.due_in_days),
                    "status": action.status,
                },
            )
