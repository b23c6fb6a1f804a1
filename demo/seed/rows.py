"""Writing the seed's rows: find each by its natural key, create or correct it only where it
differs from the table, and count what was written.

Every row is written only when it is new or differs from the table, after `full_clean()`,
so a second run writes nothing (not even `updated_at`). The seed never deletes rows: demo
rows that users edited are put back, rows users added are left alone. Many-to-many sets the
seed owns (a region's countries, a meeting's attendees, an officer's programs) are reset to
the table's.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import models

from accounts.models import User
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
from monitoring.models import Activity, Report
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
    Activity,
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


def upsert(
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


def iso_date(value: str | None) -> datetime.date | None:
    """The date of the tables' ISO strings (None stays None)."""
    return datetime.date.fromisoformat(value) if value else None
