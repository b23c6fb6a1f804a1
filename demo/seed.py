"""Loads the tables of demo.data into the database, idempotently, by natural keys.

Every row is looked up by its natural key and written only when it is new or differs
from the table, after `full_clean()`, so a second run writes nothing (not even
`updated_at`). The seed never deletes rows: demo rows that users edited are put back,
rows users added are left alone. Many-to-many sets the seed owns (a region's countries,
a meeting's attendees, an officer's programs) are reset to the table's.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Role, User
from bsos.models import BSO, ClusterSupport
from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Country,
    Decision,
    Meeting,
    Region,
    SteeringCommittee,
)
from demo import committees, data
from demo.scorecards import seed_scorecards
from demo.seed_activities import seed_activities
from demo.seed_programs import seed_programs
from monitoring.models import Report
from programs.models import Enrolment, Program
from scorecards.models import KPI, Baseline, Target

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# The order of the summary line.
SUMMARY_MODELS = [
    Country,
    Region,
    Cluster,
    BSO,
    ClusterSupport,
    Program,
    Enrolment,
    SteeringCommittee,
    CommitteeMember,
    Meeting,
    Decision,
    ActionItem,
    User,
    KPI,
    Baseline,
    Target,
    Report,
]


class SeedReport:
    """How many rows of each model the seed created, updated or found unchanged."""

    def __init__(self) -> None:
        self.tally: Counter[tuple[type[models.Model], str]] = Counter()

    def count(self, model: type[models.Model], state: str) -> None:
        self.tally[model, state] += 1

    def total(self, state: str) -> int:
        return sum(n for (_model, s), n in self.tally.items() if s == state)

    def rows(self, model: type[models.Model]) -> int:
        return sum(n for (m, _state), n in self.tally.items() if m is model)

    def summary(self) -> str:
        items = [f"{self.rows(m)} {m._meta.verbose_name_plural}" for m in SUMMARY_MODELS]
        lines = [
            f"Demo data ready: created {self.total(CREATED)}, updated {self.total(UPDATED)}, "
            f"unchanged {self.total(UNCHANGED)} rows."
        ]
        line = " "
        for item in items:
            if len(line) + len(item) > 96:
                lines.append(line)
                line = " "
            line += f" {item},"
        lines.append(line.rstrip(",") + ".")
        return "\n".join(lines)


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _upsert(
    report: SeedReport,
    model: type[models.Model],
    *,
    keys: dict[str, Any],
    values: dict[str, Any] | None = None,
    m2m: dict[str, Iterable[models.Model]] | None = None,
) -> Any:
    """Find the row by its natural key; create or correct it only where it differs."""
    values, m2m = values or {}, m2m or {}
    instance = model.objects.filter(**keys).first()
    if instance is None:
        instance, state = model(**keys, **values), CREATED
    else:
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
        state = UPDATED if changed else UNCHANGED
    if state != UNCHANGED:
        instance.full_clean()
        instance.save()
    for name, targets in m2m.items():
        wanted = {target.pk for target in targets}
        related = getattr(instance, name)
        if set(related.values_list("pk", flat=True)) != wanted:
            related.set(wanted)
            state = UPDATED if state == UNCHANGED else state
    report.count(model, state)
    return instance


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> SeedReport:
    """Create or refresh the demo world and the demo users; return what was written."""
    today = today or timezone.localdate()
    report = SeedReport()
    countries = _seed_geography(report)
    clusters = _seed_clusters(report, countries)
    bsos = _seed_bsos(report, countries, clusters)
    programs = _seed_programs(report, clusters)
    seed_programs(report, programs=programs, countries=countries)
    _seed_committees(report, clusters, today)
    _seed_users(report, bsos=bsos, programs=programs, countries=countries)
    seed_scorecards(report, today=today)
    seed_activities(report, today=today)
    return report


def _seed_geography(report: SeedReport) -> dict[str, Country]:
    countries = {
        code: _upsert(report, Country, keys={"code": code}, values={"name": name})
        for code, name in data.COUNTRIES.items()
    }
    for row in data.REGIONS:
        _upsert(
            report,
            Region,
            keys={"code": row.code},
            values={"name": row.name},
            m2m={"countries": [countries[code] for code in row.countries]},
        )
    return countries


def _seed_clusters(report: SeedReport, countries: dict[str, Country]) -> dict[str, Cluster]:
    clusters = {}
    for row in data.CLUSTERS:
        values = row._asdict()
        code = values.pop("code")
        values["country"] = countries[row.country]
        values["latitude"] = models.DecimalField().to_python(row.latitude)
        values["longitude"] = models.DecimalField().to_python(row.longitude)
        values["description"] = data.CLUSTER_DESCRIPTIONS.get(code, "")
        clusters[code] = _upsert(report, Cluster, keys={"code": code}, values=values)
    return clusters


def _seed_bsos(
    report: SeedReport, countries: dict[str, Country], clusters: dict[str, Cluster]
) -> dict[str, BSO]:
    bsos = {}
    for row in data.BSOS:
        values = row._asdict()
        code = values.pop("code")
        values["country"] = countries[row.country]
        values["website"] = f"https://{code}.example.org/"
        values["email"] = f"clusters@{code}.example.org"
        bsos[code] = _upsert(report, BSO, keys={"code": code}, values=values)
    for row in data.SUPPORTS:
        _upsert(
            report,
            ClusterSupport,
            keys={
                "bso": bsos[row.bso],
                "cluster": clusters[row.cluster],
                "since": _date(row.since),
            },
            values={"role": row.role, "until": _date(row.until)},
        )
    return bsos


def _seed_programs(report: SeedReport, clusters: dict[str, Cluster]) -> dict[str, Program]:
    programs = {}
    for row in data.PROGRAMS:
        values = {"name": row.name, "funder": row.funder}
        programs[row.code] = _upsert(report, Program, keys={"code": row.code}, values=values)
    for row in data.ENROLMENTS:
        _upsert(
            report,
            Enrolment,
            keys={
                "program": programs[row.program],
                "cluster": clusters[row.cluster],
                "enrolled_from": _date(row.enrolled_from),
            },
            values={"enrolled_until": _date(row.enrolled_until)},
        )
    return programs


def _seed_committees(
    report: SeedReport, clusters: dict[str, Cluster], today: datetime.date
) -> None:
    for row in committees.COMMITTEES:
        committee = _upsert(
            report,
            SteeringCommittee,
            keys={"cluster": clusters[row.cluster]},
            values={"name": row.name, "established_on": _date(row.established_on)},
        )
        members = {}
        for member in row.members:
            values = member._asdict()
            name = values.pop("name")
            values["since"], values["until"] = _date(member.since), _date(member.until)
            members[name] = _upsert(
                report,
                CommitteeMember,
                keys={"committee": committee, "name": name},
                values=values,
            )
        meetings = {}
        for meeting in row.meetings:
            held_on = _date(meeting.held_on)
            attendees = [
                m
                for name, m in members.items()
                if m.since <= held_on
                and (m.until is None or m.until >= held_on)
                and name not in meeting.absent
            ]
            meetings[meeting.held_on] = _upsert(
                report,
                Meeting,
                keys={"committee": committee, "held_on": held_on},
                values={"location": meeting.location, "minutes": meeting.minutes},
                m2m={"attendees": attendees},
            )
            for text in meeting.decisions:
                _upsert(report, Decision, keys={"meeting": meetings[meeting.held_on], "text": text})
        for action in row.actions:
            _upsert(
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


def _seed_users(
    report: SeedReport,
    *,
    bsos: dict[str, BSO],
    programs: dict[str, Program],
    countries: dict[str, Country],
) -> None:
    regions = {region.code: region for region in Region.objects.all()}
    for row in data.DEMO_USERS:
        values = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "email": f"{row.username}@clusterboard.example.org",
            "role": row.role,
            "is_active": True,
            "is_staff": row.role == Role.ADMIN,
            "is_superuser": row.role == Role.ADMIN,
            "bso": bsos[row.scope] if row.role == Role.BSO_STAFF else None,
            "country": countries[row.scope] if row.role == Role.MINISTRY else None,
            "region": regions[row.scope] if row.role == Role.REGIONAL else None,
        }
        existing = User.objects.filter(username=row.username).first()
        if existing is None or not existing.check_password(data.DEMO_PASSWORD):
            values["password"] = make_password(data.DEMO_PASSWORD)
        officer_programs = [programs[row.scope]] if row.role == Role.PROGRAM_OFFICER else []
        _upsert(
            report,
            User,
            keys={"username": row.username},
            values=values,
            m2m={"programs": officer_programs},
        )
