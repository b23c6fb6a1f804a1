"""Check constraints evaluated in Python (core.constraints): Django's answer, without a query."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.constraints import full_clean, validate_constraints
from monitoring.models.activities import Activity
from programs.models import Enrolment
from scorecards.models import Baseline

HYPOTHESIS = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AMOUNTS = st.one_of(
    st.none(),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
)
# Letters, digits and spaces: what a currency cell holds; no NUL (PostgreSQL refuses it in text
# and Django then lets the row pass) and no newline (Python's "$" matches before a final one,
# PostgreSQL's does not; the services strip the currency first).
CURRENCIES = st.one_of(
    st.none(), st.sampled_from(["USD", "usd", "US", "USDD", ""]), st.text("ABCxyz1 ", max_size=4)
)
DATES = st.one_of(st.none(), st.dates(datetime.date(2019, 1, 1), datetime.date(2021, 1, 1)))


def errors_of(check) -> dict:
    try:
        check()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.django_db
@HYPOTHESIS
@given(
    costs=st.lists(AMOUNTS, min_size=4, max_size=4),
    currency=CURRENCIES,
    exclude=st.sets(st.sampled_from(["cost_program", "cost_firms", "currency"])),
)
def test_activity_constraints_answer_as_the_database_does(costs, currency, exclude):
    activity = Activity(
        cost_program=costs[0],
        cost_firms=costs[1],
        cost_public=costs[2],
        cost_credit=costs[3],
        currency=currency,
    )

    ours = errors_of(lambda: validate_constraints(activity, exclude=exclude))

    assert ours == errors_of(lambda: activity.validate_constraints(exclude=exclude))


@pytest.mark.django_db
@HYPOTHESIS
@given(start=DATES, end=DATES)
def test_a_condition_on_another_field_and_on_null_answers_as_the_database_does(start, end):
    # Q(enrolled_until__isnull=True) | Q(enrolled_until__gte=F("enrolled_from"))
    enrolment = Enrolment(enrolled_from=start, enrolled_until=end)

    ours = errors_of(lambda: validate_constraints(enrolment))

    assert ours == errors_of(lambda: enrolment.validate_constraints())


@pytest.mark.django_db
@HYPOTHESIS
@given(denominator=AMOUNTS)
def test_a_negated_condition_answers_as_the_database_does(denominator):
    # Q(denominator__isnull=True) | ~Q(denominator=0)
    baseline = Baseline(denominator=denominator, year=2020)

    ours = errors_of(lambda: validate_constraints(baseline))

    assert ours == errors_of(lambda: baseline.validate_constraints())


def test_the_check_asks_no_query():
    # No database access is allowed in this test: a query would raise.
    activity = Activity(cost_program=Decimal("-1"), currency="usd")

    errors = errors_of(lambda: validate_constraints(activity))

    assert errors == {"__all__": ["Costs cannot be negative.", activity_currency_message()]}


def activity_currency_message() -> str:
    constraint = next(c for c in Activity._meta.constraints if c.name == "activity_currency_iso")
    return str(constraint.get_violation_error_message())


@pytest.mark.django_db
def test_full_clean_gives_the_errors_of_django_full_clean(world):
    activity = Activity(
        cluster=world.inside,
        bso=world.bso,
        date=datetime.date(2025, 1, 1),
        type="nonsense",
        title="",
        cost_program=Decimal("-1"),
        currency="usd",
    )

    ours = errors_of(lambda: full_clean(activity, known_relations=frozenset({"cluster", "bso"})))

    assert ours == errors_of(activity.full_clean)
    assert set(ours) == {"type", "title", "cost_program", "currency"}
