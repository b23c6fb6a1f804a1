"""Money joined to results, per program component (monitoring.results): the S-curve's two lines
worked by hand, on the program page with its table, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Rollup
from monitoring.results.selectors import component_curves
from programs.models import Component
from scorecards.models import KPI, Level, Period
from scorecards.services import component_kpi_link, periods_generate
from tests.programs import conftest as programs
from tests.programs.conftest import disburse

D = Decimal
money = programs.money  # the programs' fixture: their money on top of the shared world


def kpi(code, direction=KPI.Direction.HIGHER, **fields):
    return KPI.objects.create(
        code=code,
        name=code,
        unit=KPI.Unit.COUNT,
        aggregation=KPI.Aggregation.SUM,
        time_aggregation=KPI.TimeAggregation.SUM,
        direction=direction,
        **fields,
    )


def rolled(kpi_, program, year, quarter, value, target, baseline=None, level=Level.PROGRAM):
    return Rollup.objects.create(
        kpi=kpi_,
        period=Period.objects.get(year=year, quarter=quarter),
        level=level,
        unit_id=program.pk,
        value=D(value),
        target=D(target),
        baseline=None if baseline is None else D(baseline),
        clusters_reporting=1,
        clusters_expected=1,
        computed_at=timezone.now(),
    )


@pytest.fixture
def curve(money):
    """The Training component (budget 80, 50 disbursed on 2024-02-01, 10 more on 2024-08-15),
    measured by `trained` (higher is better) and `lead-time` (lower is better)."""
    program = money.world.program
    periods_generate(first_year=2024, last_year=2024)
    disburse(program, "10", on="2024-08-15", component=money.component)
    trained, lead_time = kpi("trained"), kpi("lead-time", KPI.Direction.LOWER)
    component_kpi_link(component=money.component, kpi=trained)
    component_kpi_link(component=money.component, kpi=lead_time)
    rolled(trained, program, 2024, 2, "30", "60")  # 30 / 60 = 0.5
    rolled(trained, program, 2024, 3, "90", "60")  # 1.5, capped at 1
    rolled(lead_time, program, 2024, 1, "12", "8", "14")  # (14 - 12) / (14 - 8) = 1/3
    rolled(lead_time, program, 2024, 4, "13", "8", "14")  # 1/6, but the year's row wins at Q4
    rolled(lead_time, program, 2024, 0, "10", "8", "14")  # (14 - 10) / (14 - 8) = 2/3
    # neither another program's row nor a cluster's counts
    rolled(trained, money.world.other_program, 2024, 1, "60", "60")
    rolled(trained, program, 2024, 1, "60", "60", level=Level.CLUSTER)
    Component.objects.create(program=program, name="Advisory", budget=D("0"))
    return money


def test_the_s_curve_sets_budget_disbursed_beside_targets_achieved_by_quarter(curve):
    advisory, training = component_curves(curve.world.program)
    third = D(1) / 3
    assert [(q.label, q.disbursed, q.budget_share, q.targets_share) for q in training.quarters] == [
        # 50 / 80; trained has no value yet (0), lead-time 1/3: mean 1/6
        ("2024 Q1", D("50"), D("0.625"), (0 + third) / 2),
        # nothing paid; trained 0.5, lead-time keeps its 1/3
        ("2024 Q2", D("50"), D("0.625"), (D("0.5") + third) / 2),
        # 60 / 80; trained 1 (1.5 capped), lead-time 1/3
        ("2024 Q3", D("60"), D("0.75"), (1 + third) / 2),
        # trained keeps 1; lead-time's year 2/3 (not its Q4's 1/6)
        ("2024 Q4", D("60"), D("0.75"), (1 + 2 * third) / 2),
    ]
    assert [k.code for k in training.kpis] == ["lead-time", "trained"]
    # no budget, no KPI: neither share is known
    assert advisory.kpis == []
    assert {(q.budget_share, q.targets_share) for q in advisory.quarters} == {(None, None)}


def test_the_program_page_shows_the_curve_and_its_numbers(client, curve):
    client.force_login(curve.world.users["program_officer"])
    html = client.get(reverse("program-detail", args=[curve.world.program.pk])).content.decode()
    assert "Money and results by component" in html
    table = html.split(f'data-component-results="{curve.component.pk}"')[1].split("</table>")[0]
    # Q1: 62.5% of the budget, 16.7% of the targets; Q4: 75.0% and 83.3%
    assert "62.5%" in table and "16.7%" in table and "83.3%" in table
    assert "Targets achieved" in html and "<svg" in html


def test_the_results_block_asks_a_fixed_number_of_queries(curve, django_assert_max_num_queries):
    program = curve.world.program
    for n in range(8):
        extra = kpi(f"extra-{n}")
        component_kpi_link(component=curve.component, kpi=extra)
        rolled(extra, program, 2024, n % 4 + 1, str(n), "8")
        disburse(program, "1", on=f"2024-0{n + 1}-20", component=curve.component)
    with django_assert_max_num_queries(4):
        component_curves(program)


def test_only_core_kpis_measure_a_component(curve):
    own = kpi("own-kpi", cluster=curve.world.inside)
    with pytest.raises(ValidationError) as refused:
        component_kpi_link(component=curve.component, kpi=own)
    assert "kpi" in refused.value.message_dict


def test_a_component_without_money_or_results_says_so(client, money):
    client.force_login(money.world.users["admin"])
    Component.objects.create(program=money.world.program, name="Fairs", budget=D("10"))
    html = client.get(reverse("program-detail", args=[money.world.program.pk])).content.decode()
    assert "none linked yet" in html
