"""Program services: the status cycle, disbursement rules, amounts that stay coherent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from programs.models import Component, Disbursement, Program
from programs.services import TRANSITIONS, program_disburse, program_transition, program_update
from tests.factories import ProgramFactory
from tests.programs.conftest import disburse, live_program

D = Decimal
S = Program.Status


def test_a_program_goes_from_preparation_to_closed_recording_its_dates(db):
    program = ProgramFactory(total_amount=D("100"), funder_amount=D("80"))
    assert program.status == S.PREPARATION
    program_transition(program=program, to=S.APPROVED, on=datetime.date(2024, 3, 1))
    program_transition(program=program, to=S.IN_EXECUTION, on=datetime.date(2024, 5, 2))
    program = program_transition(program=program, to=S.CLOSED, on=datetime.date(2025, 6, 30))
    assert program.status == S.CLOSED
    assert (program.approval_date, program.execution_date, program.closing_date) == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 5, 2),
        datetime.date(2025, 6, 30),
    )


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.PREPARATION, S.IN_EXECUTION),
        (S.PREPARATION, S.CLOSED),
        (S.APPROVED, S.PREPARATION),
        (S.IN_EXECUTION, S.APPROVED),
        (S.CLOSED, S.IN_EXECUTION),
        (S.CANCELLED, S.APPROVED),
    ],
)
def test_a_step_the_cycle_does_not_allow_is_refused_with_the_allowed_ones(db, start, to):
    program = live_program(status=start)
    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to=to)
    message = refused.value.message_dict["status"][0]
    assert str(S(to).label) in message
    program.refresh_from_db()
    assert program.status == start


def test_closed_and_cancelled_are_final_and_every_status_has_a_row(db):
    assert set(TRANSITIONS) == set(S.values)
    assert TRANSITIONS[S.CLOSED] == TRANSITIONS[S.CANCELLED] == frozenset()


def test_a_program_without_a_funder_amount_cannot_be_approved(db):
    program = ProgramFactory()
    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to=S.APPROVED)
    assert "funder_amount" in refused.value.message_dict


def test_a_program_can_be_cancelled_in_execution(db):
    program = live_program()
    program = program_transition(program=program, to=S.CANCELLED, on=datetime.date(2024, 1, 1))
    assert (program.status, program.closing_date) == (S.CANCELLED, datetime.date(2024, 1, 1))


def test_a_disbursement_is_recorded_in_the_programs_currency(db):
    program = live_program(currency="EUR")
    component = Component.objects.create(program=program, name="Fairs", budget=D("100"))
    disbursement = program_disburse(
        program=program,
        data={"date": datetime.date(2024, 5, 1), "amount": D("12.50"), "component": component},
    )
    assert disbursement.program.currency == "EUR"
    assert Disbursement.objects.get().amount == D("12.50")


def test_a_component_of_another_program_is_refused(db):
    program, other = live_program(), live_program()
    foreign = Component.objects.create(program=other, name="Fairs", budget=D("10"))
    with pytest.raises(ValidationError) as refused:
        program_disburse(
            program=program,
            data={"date": datetime.date(2024, 5, 1), "amount": D("1"), "component": foreign},
        )
    assert "component" in refused.value.message_dict
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("amount", ["-5", "0"])
def test_a_negative_or_zero_disbursement_is_refused(db, amount):
    program = live_program()
    with pytest.raises(ValidationError) as refused:
        program_disburse(
            program=program, data={"date": datetime.date(2024, 5, 1), "amount": D(amount)}
        )
    assert "amount" in refused.value.message_dict


def test_the_database_refuses_a_negative_disbursement_too(db):
    program = live_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(program=program, date=datetime.date(2024, 1, 1), amount=-1)


def test_disbursements_cannot_exceed_the_funder_amount(db):
    program = live_program(funder_amount=D("100"))
    disburse(program, "80")
    with pytest.raises(ValidationError) as refused:
        program_disburse(
            program=program, data={"date": datetime.date(2024, 5, 1), "amount": D("20.01")}
        )
    assert "amount" in refused.value.message_dict
    program_disburse(program=program, data={"date": datetime.date(2024, 5, 1), "amount": D("20")})


@pytest.mark.parametrize("status", [S.PREPARATION, S.CLOSED, S.CANCELLED])
def test_no_money_moves_outside_approval_and_execution(db, status):
    program = live_program(status=status)
    with pytest.raises(ValidationError) as refused:
        program_disburse(
            program=program, data={"date": datetime.date(2024, 5, 1), "amount": D("1")}
        )
    assert "__all__" in refused.value.message_dict


def test_a_disbursement_cannot_predate_the_approval(db):
    program = live_program(approval_date=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        program_disburse(
            program=program, data={"date": datetime.date(2023, 12, 31), "amount": D("1")}
        )
    assert "date" in refused.value.message_dict


def test_the_funder_amount_cannot_exceed_the_total_in_the_database(db):
    program = live_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(funder_amount=D("2000"))


def test_an_update_cannot_push_the_funder_amount_below_what_was_disbursed(db):
    program = live_program(funder_amount=D("100"))
    disburse(program, "60")
    with pytest.raises(ValidationError) as refused:
        program_update(program=program, data={"funder_amount": D("59")})
    assert "funder_amount" in refused.value.message_dict


def test_components_budgets_stay_within_the_total_amount(db):
    program = live_program(total_amount=D("100"), funder_amount=D("50"))
    Component(program=program, name="A", budget=D("70")).full_clean()
    Component.objects.create(program=program, name="A", budget=D("70"))
    with pytest.raises(ValidationError) as refused:
        Component(program=program, name="B", budget=D("31")).full_clean()
    assert "budget" in refused.value.message_dict


@pytest.mark.parametrize("code", ["usd", "US", "XYZ", "US$"])
def test_a_currency_must_be_an_iso_4217_code(db, code):
    program = live_program()
    with pytest.raises(ValidationError) as refused:
        program_update(program=program, data={"currency": code})
    assert "currency" in refused.value.message_dict


def test_an_update_leaves_the_status_alone(db):
    program = ProgramFactory()
    program = program_update(program=program, data={"status": S.CLOSED, "name": "Renamed"})
    program.refresh_from_db()
    assert (program.name, program.status) == ("Renamed", S.PREPARATION)


def test_a_program_approved_in_2018_is_recorded_with_its_date_and_takes_its_money(db):
    program = ProgramFactory(total_amount=D("100"), funder_amount=D("80"))
    program = program_transition(program=program, to=S.APPROVED, on=datetime.date(2018, 4, 9))
    assert program.approval_date == datetime.date(2018, 4, 9)
    disbursement = program_disburse(
        program=program, data={"date": datetime.date(2019, 1, 15), "amount": D("10")}
    )
    assert disbursement.date.year == 2019


def test_a_step_dated_in_the_future_is_refused(db):
    program = ProgramFactory(total_amount=D("100"), funder_amount=D("80"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to=S.APPROVED, on=tomorrow)
    assert "future" in refused.value.message_dict["on"][0]
    program.refresh_from_db()
    assert (program.status, program.approval_date) == (S.PREPARATION, None)


@pytest.mark.parametrize("to", [S.IN_EXECUTION, S.CANCELLED])
def test_a_step_dated_before_the_previous_one_is_refused(db, to):
    program = ProgramFactory(total_amount=D("100"), funder_amount=D("80"))
    program_transition(program=program, to=S.APPROVED, on=datetime.date(2018, 4, 9))
    with pytest.raises(ValidationError) as refused:
        program_transition(program=program, to=to, on=datetime.date(2018, 4, 8))
    assert "2018-04-09" in refused.value.message_dict["on"][0]
    program.refresh_from_db()
    assert program.status == S.APPROVED


def test_closing_cannot_come_before_the_start_of_execution(db):
    program = ProgramFactory(total_amount=D("100"), funder_amount=D("80"))
    program_transition(program=program, to=S.APPROVED, on=datetime.date(2018, 4, 9))
    program_transition(program=program, to=S.IN_EXECUTION, on=datetime.date(2019, 1, 1))
    with pytest.raises(ValidationError):
        program_transition(program=program, to=S.CLOSED, on=datetime.date(2018, 12, 31))
