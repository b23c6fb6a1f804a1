"""Portfolio arithmetic (DESIGN.md rule 8), worked by hand: totals per currency, a program
without disbursements counting as zero disbursed, never a sum across currencies."""

from decimal import Decimal

from programs import selectors
from programs.models import Program
from tests.programs.conftest import disburse, live_program

D = Decimal


def totals_by_currency(programs=None):
    programs = programs if programs is not None else selectors.portfolio_rows()
    return {t.currency: t for t in selectors.portfolio_totals(programs)}


def test_portfolio_rate_counts_a_program_without_disbursements_as_zero(db):
    first = live_program(funder_amount=D("100"), total_amount=D("150"))
    live_program(funder_amount=D("300"), total_amount=D("300"))  # nothing disbursed
    disburse(first, "20")
    disburse(first, "30", on="2024-03-01")
    usd = totals_by_currency()["USD"]
    # funder: 100 + 300 = 400; disbursed: 20 + 30 + 0 = 50; rate 50 / 400 = 12.5 %
    assert (usd.programs, usd.funder_amount, usd.disbursed) == (2, D("400"), D("50"))
    assert usd.total_amount == D("450")
    assert usd.disbursement_rate == D("0.125")


def test_each_currency_has_its_own_totals_and_rate(db):
    usd_program = live_program(funder_amount=D("100"))
    live_program(funder_amount=D("300"))
    eur_program = live_program(currency="EUR", funder_amount=D("200"), total_amount=D("250"))
    disburse(usd_program, "50")
    disburse(eur_program, "150")
    totals = totals_by_currency()
    assert sorted(totals) == ["EUR", "USD"]
    assert totals["USD"].disbursement_rate == D("50") / D("400")  # 12.5 %
    # EUR: 150 / 200 = 75 %, untouched by the dollars
    assert (totals["EUR"].funder_amount, totals["EUR"].disbursed) == (D("200"), D("150"))
    assert totals["EUR"].disbursement_rate == D("0.75")


def test_a_program_row_carries_its_disbursed_sum_and_rate(db):
    program = live_program(funder_amount=D("400"))
    disburse(program, "10.25")
    disburse(program, "89.75", on="2024-06-30")
    idle = live_program(funder_amount=D("40"))
    rows = {p.pk: p for p in selectors.portfolio_rows()}
    assert rows[program.pk].disbursed == D("100.00")
    assert rows[program.pk].disbursement_rate == D("0.25")  # 100 / 400
    assert rows[idle.pk].disbursed == D("0")
    assert rows[idle.pk].disbursement_rate == D("0")


def test_a_program_without_a_funder_amount_has_no_rate(db):
    live_program(funder_amount=D("0"), total_amount=D("0"), status=Program.Status.PREPARATION)
    usd = totals_by_currency()["USD"]
    assert usd.disbursement_rate is None


def test_totals_follow_the_filtered_queryset_and_never_count_a_program_twice(world):
    program = live_program(funder_amount=D("100"), countries=[world.argentina, world.ecuador])
    disburse(program, "40")
    joined = selectors.portfolio_rows().filter(countries__in=[world.argentina, world.ecuador])
    assert joined.count() == 2  # the join repeats the program...
    usd = totals_by_currency(joined)["USD"]
    assert (usd.programs, usd.funder_amount, usd.disbursed) == (1, D("100"), D("40"))


def test_cumulative_curve_runs_quarter_by_quarter_and_keeps_the_total_through_gaps(db):
    program = live_program(funder_amount=D("400"))
    disburse(program, "100", on="2024-01-10")
    disburse(program, "50", on="2024-02-20")
    disburse(program, "50", on="2024-10-01")
    eur = live_program(currency="EUR", funder_amount=D("10"))
    disburse(eur, "5", on="2025-04-01")
    curves = selectors.cumulative_disbursements(selectors.portfolio_rows())
    usd = [(p.label, p.disbursed, p.cumulative, p.rate) for p in curves["USD"]]
    assert usd == [
        ("2024 Q1", D("150"), D("150"), D("0.375")),  # 150 / 400
        ("2024 Q2", D("0"), D("150"), D("0.375")),
        ("2024 Q3", D("0"), D("150"), D("0.375")),
        ("2024 Q4", D("50"), D("200"), D("0.5")),
    ]
    assert [(p.label, p.cumulative) for p in curves["EUR"]] == [("2025 Q2", D("5"))]
