"""Writes for programs: creation and changes, status transitions, disbursements, enrolments.

Pages, the API and the admin call these; the rules a single row keeps (amounts, components of
the same program, the disbursed total within the funder amount) sit in the models' `clean()`,
which `full_clean()` runs here and which the admin's forms run too.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import MEMBER_FIELDS, Cluster
from core.services import model_create, model_update
from core.staleness import mark_stale
from programs.models import Component, Disbursement, Enrolment, Program, StrategicCommitteeMember

Status = Program.Status

# The project cycle. Closed and cancelled are final: a mistake there is for an administrator
# to correct in the admin, not a step of the cycle.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PREPARATION: frozenset({Status.APPROVED, Status.CANCELLED}),
    Status.APPROVED: frozenset({Status.IN_EXECUTION, Status.CANCELLED}),
    Status.IN_EXECUTION: frozenset({Status.CLOSED, Status.CANCELLED}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# What a create or update may set; status and its dates only move through program_transition.
PROGRAM_FIELDS = [
    "code",
    "name",
    "funder",
    "executing_agency",
    "countries",
    "area",
    "typology",
    "currency",
    "total_amount",
    "funder_amount",
    # how the program is published as IATI data (public.iati)
    "reporting_org_ref",
    "reporting_org_type",
    "dac_sector",
]
DISBURSEMENT_FIELDS = ["date", "amount", "component", "reference"]
ENROLMENT_FIELDS = ["cluster", "enrolled_from", "enrolled_until"]
COMPONENT_FIELDS = ["name", "description", "budget"]


def _allowed(data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in fields}


@transaction.atomic
def program_create(*, data: dict[str, Any], officer=None) -> Program:
    """Create a program in preparation; the officer who creates it looks after it."""
    program = model_create(model=Program, data=_allowed(data, PROGRAM_FIELDS))
    if officer is not None:
        program.officers.add(officer)
    return program


@transaction.atomic
def program_update(*, program: Program, data: dict[str, Any]) -> Program:
    """Change a program's description and money (never its status: see program_transition)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    program, _changed = model_update(instance=program, data=data, fields=PROGRAM_FIELDS)
    return program


@transaction.atomic
def program_transition(*, program: Program, to: str, on: datetime.date | None = None) -> Program:
    """Move a program along its cycle on the date it happened, refusing any step TRANSITIONS
    does not list.

    Approval records the approval date, the start of execution the execution date, closing or
    cancelling the closing date (`on`, today by default, so a program approved in 2018 can be
    recorded as it was). The date is never in the future, nor before the step before it; an
    approval needs the funder's amount, since the disbursement rate is measured against it.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    if to not in Status.values:
        raise ValidationError({"status": _("Unknown status %(to)s.") % {"to": to}})
    allowed = TRANSITIONS[program.status]
    if to not in allowed:
        choices = ", ".join(str(Status(s).label) for s in sorted(allowed)) or _("none")
        raise ValidationError(
            {
                "status": _(
                    "A program that is %(current)s cannot become %(to)s. Allowed: %(allowed)s."
                )
                % {
                    "current": Status(program.status).label,
                    "to": Status(to).label,
                    "allowed": choices,
                }
            }
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": _("The date of a step cannot be in the future.")})
    previous = max(
        (d for d in (program.approval_date, program.execution_date) if d is not None),
        default=None,
    )
    if previous is not None and on < previous:
        raise ValidationError(
            {
                "on": _("The date cannot be before the program's previous step (%(date)s).")
                % {"date": previous.isoformat()}
            }
        )
    if to == Status.APPROVED:
        if not program.funder_amount:
            raise ValidationError(
                {"funder_amount": _("A program is approved with the funder's amount.")}
            )
        program.approval_date = on
    elif to == Status.IN_EXECUTION:
        program.execution_date = on
    elif to in (Status.CLOSED, Status.CANCELLED):
        program.closing_date = on
    program.status = to
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def program_disburse(*, program: Program, data: dict[str, Any]) -> Disbursement:
    """Record a disbursement; the program row is locked so that two at once cannot together
    exceed the funder amount."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    disbursement = Disbursement(program=program, **_allowed(data, DISBURSEMENT_FIELDS))
    disbursement.full_clean()
    disbursement.save()
    return disbursement


def _enrolments_changed(program_id: int) -> None:
    # program totals count the clusters enrolled during each period (DESIGN.md rule 3), and an
    # enrolment moves a cluster into or out of its program's totals in every period
    mark_stale(reason=f"program {program_id} enrolments changed")


def _check_enrollable(*, program: Program, cluster: Cluster | None, user) -> None:
    """A program officer enrols only an active cluster of a country the program works in (an
    administrator may also record a past enrolment of a cluster since closed). `user` None is
    the system (seeds, the admin's inline), which the administrator's rule covers."""
    if cluster is None or user is None or user.is_admin_role:
        return
    if cluster.status != Cluster.Status.ACTIVE:
        raise ValidationError({"cluster": _("Only an active cluster can be enrolled.")})
    if not program.countries.filter(pk=cluster.country_id).exists():
        raise ValidationError(
            {"cluster": _("The cluster must be in one of the program's countries.")}
        )


@transaction.atomic
def enrolment_create(*, program: Program, data: dict[str, Any], user=None) -> Enrolment:
    """Enrol a cluster in a program from a date (until a date, or open-ended)."""
    data = _allowed(data, ENROLMENT_FIELDS)
    _check_enrollable(program=program, cluster=data.get("cluster"), user=user)
    enrolment = model_create(model=Enrolment, data={**data, "program": program})
    _enrolments_changed(program.pk)
    return enrolment


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, data: dict[str, Any], user=None) -> Enrolment:
    """Change an enrolment's cluster or dates (read under its row lock: only the fields sent)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    cluster = data.get("cluster")
    if cluster is not None and cluster.pk != enrolment.cluster_id:
        _check_enrollable(program=enrolment.program, cluster=cluster, user=user)
    enrolment, changed = model_update(
        instance=enrolment, data=_allowed(data, ENROLMENT_FIELDS), fields=ENROLMENT_FIELDS
    )
    if changed:
        _enrolments_changed(enrolment.program_id)
    return enrolment


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment) -> None:
    """Remove an enrolment (a cluster that left is better given an end date)."""
    program_id = enrolment.program_id
    enrolment.delete()
    _enrolments_changed(program_id)


@transaction.atomic
def component_save(
    *, program: Program, component: Component | None, data: dict[str, Any]
) -> Component:
    """Add a component to a program or change one (its budgets stay within the total)."""
    if component is None:
        return model_create(
            model=Component, data={**_allowed(data, COMPONENT_FIELDS), "program": program}
        )
    component, _changed = model_update(instance=component, data=data, fields=COMPONENT_FIELDS)
    return component


@transaction.atomic
def strategic_member_save(
    *, program: Program, member: StrategicCommitteeMember | None, data: dict[str, Any]
) -> StrategicCommitteeMember:
    """Seat a member on the program's strategic committee or change a seat (its end date ends
    it)."""
    if member is None:
        return model_create(
            model=StrategicCommitteeMember,
            data={**_allowed(data, list(MEMBER_FIELDS)), "program": program},
        )
    member, _changed = model_update(instance=member, data=data, fields=list(MEMBER_FIELDS))
    return member
