"""Programs with money on top of the shared `world`: what the portfolio tests count."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from programs.models import Component, Disbursement, Program, StrategicCommitteeMember
from tests.factories import ProgramFactory

D = Decimal
APPROVED_ON = datetime.date(2023, 1, 15)


def live_program(**fields) -> Program:
    """A program in execution (approved in 2023), so that it may receive money."""
    countries = fields.pop("countries", [])
    defaults = {
        "status": Program.Status.IN_EXECUTION,
        "approval_date": APPROVED_ON,
        "currency": "USD",
        "total_amount": D("1000"),
        "funder_amount": D("500"),
        "typology": "cluster_strengthening",
    }
    program = ProgramFactory(**(defaults | fields))
    program.countries.set(countries)
    return program


def disburse(program: Program, amount: str, on: str = "2024-02-01", component=None):
    return Disbursement.objects.create(
        program=program,
        amount=D(amount),
        date=datetime.date.fromisoformat(on),
        component=component,
    )


@pytest.fixture
def money(world):
    """The world's programs given money.

    - `world.program` (Argentina, enrols `inside`; the officer's): USD, total 200, funder 100,
      a component, 50 disbursed, a strategic committee member.
    - `world.other_program` (Ecuador, enrols `outside`): EUR, total 80, funder 60, 15 disbursed.
    """
    Program.objects.filter(pk=world.program.pk).update(
        name="Argentina clusters",
        funder="IDB",
        status=Program.Status.IN_EXECUTION,
        approval_date=APPROVED_ON,
        currency="USD",
        total_amount=D("200"),
        funder_amount=D("100"),
    )
    Program.objects.filter(pk=world.other_program.pk).update(
        name="Ecuador clusters",
        funder="EU",
        status=Program.Status.IN_EXECUTION,
        approval_date=APPROVED_ON,
        currency="EUR",
        total_amount=D("80"),
        funder_amount=D("60"),
    )
    world.program.refresh_from_db()
    world.other_program.refresh_from_db()
    world.program.countries.set([world.argentina])
    world.other_program.countries.set([world.ecuador])
    component = Component.objects.create(program=world.program, name="Training", budget=D("80"))
    other_component = Component.objects.create(
        program=world.other_program, name="Fairs", budget=D("40")
    )
    StrategicCommitteeMember.objects.create(
        program=world.program,
        name="Laura Benegas",
        organisation="Ministerio de Producción",
        stakeholder_type="public",
        sex="female",
        role="chair",
        since=datetime.date(2023, 2, 1),
    )
    return SimpleNamespace(
        world=world,
        component=component,
        other_component=other_component,
        disbursement=disburse(world.program, "50", component=component),
        other_disbursement=disburse(world.other_program, "15", on="2024-05-10"),
    )
