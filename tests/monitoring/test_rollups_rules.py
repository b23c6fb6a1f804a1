"""Rollup rules (DESIGN.md "Rollup semantics"), one behaviour per test, numbers worked by hand.

The world: `inside` and `third` in Argentina (regions Southern Cone and Latin America, both
enrolled in `program`), `outside` in Ecuador (Latin America only, in `other_program`); all
three on the Thai Food scorecard, plus three core KPIs of our own placed in it (min, max and
a quarterly mean) where the Thai KPIs do not cover a method.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from clusters.services import cluster_update, membership_changed, region_save
from core.models import RollupStale
from core.staleness import mark_stale
from monitoring.models import ClusterRollup, Report, Rollup, RollupPartial, RollupPartialsBuilt
from monitoring.rollups.engine import audit, cluster_rows, computed_cluster_rows, recompute_kpi
from monitoring.rollups.sql import groups
from monitoring.rollups.staleness import process_stale
from scorecards.models import KPI, Period, Template
from scorecards.services import (
    baseline_set,
    own_kpi_decide,
    own_kpi_propose,
    periods_generate,
    scorecard_adopt,
    target_set,
)
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import (
    core_kpi,
    enrol,
    move,
    periods,
    place_in_template,
    record,
    report_with,
    rollup,
    rollup_or_none,
    stored_rows,
)

D = Decimal
START = datetime.date(2024, 1, 1)


def kpi(code: str) -> KPI:
    return KPI.objects.get(code=code)


@pytest.fixture
def food(thai):
    """Three clusters on the Thai Food scorecard, with the 2025 periods as `food.p`."""
    template = Template.objects.get(code="thai-food", version=1)
    place_in_template(
        template,
        [
            core_kpi("test-lowest-price", unit=KPI.Unit.NUMBER, aggregation="min"),
            core_kpi("test-highest-price", unit=KPI.Unit.NUMBER, aggregation="max"),
            core_kpi(
                "test-satisfaction-score",
                unit=KPI.Unit.SCORE,
                aggregation="mean",
                time_aggregation="mean",
            ),
        ],
    )
    thai.report.delete()  # opened before our KPIs joined the template: open it again later
    scorecard_adopt(cluster=thai.outside, template=template, on=START)
    thai.third = ClusterFactory(code="cordoba-dairy", name="Córdoba dairy", country=thai.argentina)
    scorecard_adopt(cluster=thai.third, template=template, on=START)
    enrol(thai.third, thai.program)
    thai.template = template
    thai.p = periods(2025)
    process_stale()  # the adoptions' markers: a clean start
    return thai


def value_at(code, period, level, unit_id):
    return rollup(kpi(code), period, level, unit_id).value


# --- Rule 1: approved values only ------------------------------------------------------------


def test_an_approved_value_counts_at_every_level_it_belongs_to(food):
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    process_stale()
    for level, unit in [
        ("cluster", food.inside.pk),
        ("country", food.argentina.pk),
        ("region", food.southern_cone.pk),
        ("region", food.latam.pk),
        ("program", food.program.pk),
        ("global", 0),
    ]:
        assert value_at("thai-lean", food.p["q1"], level, unit) == 5, level


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_a_value_not_yet_approved_shows_nowhere_above_the_cluster(food, state):
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    report_with(food.third, food.p["q1"], {"thai-lean": 7}, state=state)
    process_stale()
    # Argentina: 5 (inside), not 5 + 7 = 12; 1 of its 2 clusters reporting
    row = rollup(kpi("thai-lean"), food.p["q1"], "country", food.argentina.pk)
    assert (row.value, row.clusters_reporting, row.clusters_expected) == (5, 1, 2)
    assert value_at("thai-lean", food.p["q1"], "cluster", food.third.pk) is None


def test_a_reopened_report_drops_out_of_the_totals_until_it_is_approved_again(food):
    q1, argentina = food.p["q1"], food.argentina.pk
    report = report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.third, q1, {"thai-lean": 7})
    process_stale()
    assert value_at("thai-lean", q1, "country", argentina) == 5 + 7

    report = move(report, "reopen")
    process_stale()
    row = rollup(kpi("thai-lean"), q1, "country", argentina)
    assert (row.value, row.clusters_reporting) == (7, 1)  # third's 7 alone

    record(report, {"thai-lean": 6})  # corrected, not yet approved: still 7
    process_stale()
    assert value_at("thai-lean", q1, "country", argentina) == 7

    move(report, "submit", "approve")
    process_stale()
    assert value_at("thai-lean", q1, "country", argentina) == 6 + 7


# --- Aggregation across clusters ------------------------------------------------------------


def test_a_sum_kpi_adds_the_clusters_values(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 3})
    report_with(food.third, q1, {"thai-lean": 4})
    report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()
    assert value_at("thai-lean", q1, "country", food.argentina.pk) == 3 + 4
    assert value_at("thai-lean", q1, "global", 0) == 3 + 4 + 10


def test_a_mean_kpi_takes_the_mean_of_the_clusters_values(food):
    year = food.p["year"]  # thai-loan-timescale: annual, mean of cluster values (months)
    report_with(food.inside, year, {"thai-loan-timescale": 12})
    report_with(food.third, year, {"thai-loan-timescale": 18})
    report_with(food.outside, year, {"thai-loan-timescale": 30})
    process_stale()
    assert value_at("thai-loan-timescale", year, "country", food.argentina.pk) == (12 + 18) / 2
    assert value_at("thai-loan-timescale", year, "global", 0) == (12 + 18 + 30) / 3


def test_a_ratio_kpi_4_of_6_and_2_of_4_gives_60_percent_not_58_3(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-staff-turnover": (4, 6)})  # 66.67%
    report_with(food.third, q1, {"thai-staff-turnover": (2, 4)})  # 50%
    process_stale()
    row = rollup(kpi("thai-staff-turnover"), q1, "country", food.argentina.pk)
    # (4 + 2) / (6 + 4) x 100 = 60, never the mean of percentages (66.67 + 50) / 2 = 58.33
    assert (row.numerator, row.denominator, row.value) == (6, 10, 60)
    assert value_at("thai-staff-turnover", q1, "cluster", food.inside.pk) == D("66.6667")


def test_a_yes_no_kpi_gives_the_share_of_reporting_clusters_answering_yes(food):
    year = food.p["year"]  # thai-communications-plan: annual, yes (1) / no (0)
    report_with(food.inside, year, {"thai-communications-plan": 1})
    report_with(food.third, year, {"thai-communications-plan": 0})
    report_with(food.outside, year, {"thai-communications-plan": 1})
    process_stale()
    code = "thai-communications-plan"
    assert value_at(code, year, "country", food.argentina.pk) == D("0.5")  # 1 of 2
    assert value_at(code, year, "global", 0) == D("0.6667")  # 2 of 3
    assert value_at(code, year, "country", food.ecuador.pk) == 1  # 1 of 1
    assert value_at(code, year, "cluster", food.third.pk) == 0


def test_a_yes_no_share_counts_reporting_clusters_only(food):
    year = food.p["year"]
    report_with(food.inside, year, {"thai-communications-plan": 1})
    report_with(food.third, year, {"thai-communications-plan": 0}, state="submitted")
    process_stale()
    row = rollup(kpi("thai-communications-plan"), year, "country", food.argentina.pk)
    # 1 yes of 1 reporting = 100%, not 1 of 2 expected
    assert (row.value, row.clusters_reporting, row.clusters_expected) == (1, 1, 2)


def test_a_min_kpi_takes_the_lowest_cluster_value(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"test-lowest-price": D("3.5")})
    report_with(food.third, q1, {"test-lowest-price": 8})
    report_with(food.outside, q1, {"test-lowest-price": 2})
    process_stale()
    assert value_at("test-lowest-price", q1, "country", food.argentina.pk) == D(
        "3.5"
    )  # min(3.5, 8)
    assert value_at("test-lowest-price", q1, "global", 0) == 2  # min(3.5, 8, 2)


def test_a_max_kpi_takes_the_highest_cluster_value(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"test-highest-price": D("3.5")})
    report_with(food.third, q1, {"test-highest-price": 8})
    report_with(food.outside, q1, {"test-highest-price": 2})
    process_stale()
    assert value_at("test-highest-price", q1, "country", food.ecuador.pk) == 2
    assert value_at("test-highest-price", q1, "global", 0) == 8  # max(3.5, 8, 2)


# --- Time first: a cluster's year from its quarters, then clusters ----------------------------


def test_a_flow_kpis_year_is_the_sum_of_its_quarters(food):
    for quarter, lean in [("q1", 1), ("q2", 2), ("q3", 3), ("q4", 4)]:
        report_with(food.inside, food.p[quarter], {"thai-lean": lean})
    process_stale()
    row = rollup(kpi("thai-lean"), food.p["year"], "cluster", food.inside.pk)
    assert row.value == 1 + 2 + 3 + 4
    assert row.clusters_complete == 1


def test_a_stock_kpis_year_is_its_last_approved_quarter(food):
    # thai-online-trading counts companies trading online now: a stock (`last`)
    for quarter, online in [("q1", 5), ("q2", 7), ("q3", 6)]:
        report_with(food.inside, food.p[quarter], {"thai-online-trading": online})
    report_with(food.inside, food.p["q4"], {"thai-online-trading": 9}, state="submitted")
    report_with(food.third, food.p["q1"], {"thai-online-trading": 2})
    report_with(food.third, food.p["q2"], {"thai-online-trading": 4})
    process_stale()
    year = food.p["year"]
    # inside: Q3's 6 (Q4's 9 is not approved); third: Q2's 4; Argentina: 6 + 4 = 10
    assert value_at("thai-online-trading", year, "cluster", food.inside.pk) == 6
    assert value_at("thai-online-trading", year, "country", food.argentina.pk) == 6 + 4


def test_a_mean_over_time_kpis_year_is_the_mean_of_its_approved_quarters(food):
    for quarter, score in [("q1", 2), ("q2", 4), ("q3", 9)]:
        report_with(food.inside, food.p[quarter], {"test-satisfaction-score": score})
    report_with(food.third, food.p["q1"], {"test-satisfaction-score": 8})
    process_stale()
    year = food.p["year"]
    # inside: (2 + 4 + 9) / 3 = 5; third: 8; Argentina (mean across clusters): (5 + 8) / 2
    assert value_at("test-satisfaction-score", year, "cluster", food.inside.pk) == 5
    assert value_at("test-satisfaction-score", year, "country", food.argentina.pk) == D("6.5")


def test_a_ratio_kpis_year_sums_numerators_and_denominators_separately(food):
    report_with(food.inside, food.p["q1"], {"thai-staff-turnover": (1, 10)})  # 10%
    report_with(food.inside, food.p["q2"], {"thai-staff-turnover": (6, 20)})  # 30%
    report_with(food.third, food.p["q1"], {"thai-staff-turnover": (3, 10)})  # 30%
    process_stale()
    year, turnover = food.p["year"], kpi("thai-staff-turnover")
    inside = rollup(turnover, year, "cluster", food.inside.pk)
    # (1 + 6) / (10 + 20) x 100 = 23.33%, not the mean of 10% and 30% (20%)
    assert (inside.numerator, inside.denominator, inside.value) == (7, 30, D("23.3333"))
    # Argentina: (7 + 3) / (30 + 10) x 100 = 25%
    assert rollup(turnover, year, "country", food.argentina.pk).value == 25


def test_a_year_counts_the_clusters_with_all_four_quarters_approved(food):
    for quarter in ["q1", "q2", "q3", "q4"]:
        report_with(food.inside, food.p[quarter], {"thai-lean": 1})
    for quarter in ["q1", "q2", "q3"]:
        report_with(food.third, food.p[quarter], {"thai-lean": 1})
    report_with(food.third, food.p["q4"], {"thai-lean": 1}, state="submitted")
    process_stale()
    row = rollup(kpi("thai-lean"), food.p["year"], "global", 0)
    # inside 4 of 4 quarters, third 3 of 4, outside none: 2 reporting, 1 complete, 3 expected
    assert (row.clusters_reporting, row.clusters_complete, row.clusters_expected) == (2, 1, 3)
    assert row.value == 4 + 3
    assert rollup(kpi("thai-lean"), food.p["q1"], "global", 0).clusters_complete is None


def test_a_year_nobody_reported_says_no_cluster_has_a_complete_year(food):
    report_with(food.inside, food.p["q1"], {"thai-lean": 1})
    process_stale()
    row = rollup(kpi("thai-lean"), food.p["year"], "country", food.ecuador.pk)
    assert (row.value, row.clusters_reporting, row.clusters_complete) == (None, 0, 0)


def test_an_annual_kpi_takes_its_values_from_the_year_reports(food):
    year = food.p["year"]
    report_with(food.inside, year, {"thai-loan-timescale": 24})
    process_stale()
    timescale = kpi("thai-loan-timescale")
    row = rollup(timescale, year, "cluster", food.inside.pk)
    assert (row.value, row.clusters_reporting, row.clusters_complete) == (24, 1, None)
    assert not Rollup.objects.filter(kpi=timescale, period__kind=Period.Kind.QUARTER).exists()


# --- Rules 2 and 3: where a cluster counts -------------------------------------------------


def test_overlapping_regions_each_count_the_cluster_and_the_global_total_counts_it_once(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})  # Argentina: Southern Cone and Latin America
    report_with(food.outside, q1, {"thai-lean": 10})  # Ecuador: Latin America
    process_stale()
    assert value_at("thai-lean", q1, "region", food.southern_cone.pk) == 5
    assert value_at("thai-lean", q1, "region", food.latam.pk) == 5 + 10
    everything = rollup(kpi("thai-lean"), q1, "global", 0)
    # 5 + 10 = 15, not 5 + 5 + 10 = 20 although inside sits in two regions
    assert (everything.value, everything.clusters_reporting) == (15, 2)


def test_a_cluster_in_two_programs_counts_in_each_and_once_in_the_global_total(food):
    q1 = food.p["q1"]
    enrol(food.inside, food.other_program)
    report_with(food.inside, q1, {"thai-lean": 5})  # program and other_program
    report_with(food.third, q1, {"thai-lean": 7})  # program
    report_with(food.outside, q1, {"thai-lean": 10})  # other_program
    process_stale()
    assert value_at("thai-lean", q1, "program", food.program.pk) == 5 + 7
    assert value_at("thai-lean", q1, "program", food.other_program.pk) == 5 + 10
    assert value_at("thai-lean", q1, "global", 0) == 5 + 7 + 10


def test_a_cluster_enrolled_twice_in_a_period_counts_once_in_the_program(food):
    q1 = food.p["q1"]
    food.inside.enrolments.update(enrolled_until=datetime.date(2025, 1, 31))
    enrol(food.inside, food.program, start=datetime.date(2025, 3, 1))  # back in March
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.third, q1, {"thai-lean": 7})
    process_stale()
    row = rollup(kpi("thai-lean"), q1, "program", food.program.pk)
    assert (row.value, row.clusters_reporting, row.clusters_expected) == (5 + 7, 2, 2)


def test_the_program_level_counts_the_clusters_enrolled_during_the_period(food):
    food.inside.enrolments.update(enrolled_until=datetime.date(2025, 3, 31))  # left after Q1
    food.third.enrolments.update(enrolled_from=datetime.date(2025, 4, 1))  # joined in Q2
    for quarter in ["q1", "q2"]:
        report_with(food.inside, food.p[quarter], {"thai-lean": 5})
        report_with(food.third, food.p[quarter], {"thai-lean": 7})
    process_stale()
    assert value_at("thai-lean", food.p["q1"], "program", food.program.pk) == 5  # inside
    assert value_at("thai-lean", food.p["q2"], "program", food.program.pk) == 7  # third
    # both were enrolled during the year: inside (5 + 5) + third (7 + 7)
    assert value_at("thai-lean", food.p["year"], "program", food.program.pk) == 24


# --- Rule 4: coverage -------------------------------------------------------------------------


def test_coverage_counts_approved_reports_over_expected_clusters(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.outside, q1, {"thai-lean": 10}, state="returned")
    # third has no report at all
    process_stale()
    lean = kpi("thai-lean")
    coverage = {
        level_unit: (r.clusters_reporting, r.clusters_expected)
        for r in Rollup.objects.filter(kpi=lean, period=q1)
        for level_unit in [(r.level, r.unit_id)]
    }
    assert coverage[("global", 0)] == (1, 3)
    assert coverage[("country", food.argentina.pk)] == (1, 2)
    assert coverage[("country", food.ecuador.pk)] == (0, 1)
    assert rollup(lean, q1, "country", food.ecuador.pk).value is None


def test_inactive_clusters_are_not_expected_to_report(food):
    cluster_update(cluster=food.third, data={"status": "inactive"}, fields=["status"])
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    process_stale()
    row = rollup(kpi("thai-lean"), food.p["q1"], "country", food.argentina.pk)
    assert (row.clusters_reporting, row.clusters_expected) == (1, 1)
    assert rollup_or_none(kpi("thai-lean"), food.p["q1"], "cluster", food.third.pk) is None


def test_a_cluster_that_reported_then_became_inactive_still_counts_with_its_value(food):
    report_with(food.third, food.p["q1"], {"thai-lean": 7})
    cluster_update(cluster=food.third, data={"status": "inactive"}, fields=["status"])
    process_stale()
    row = rollup(kpi("thai-lean"), food.p["q1"], "country", food.argentina.pk)
    # its approved 7 stays in the total, and it counts among the expected: 1 of 2, never 1 of 1
    # with inside missing
    assert (row.value, row.clusters_reporting, row.clusters_expected) == (7, 1, 2)


def test_clusters_on_a_scorecard_without_the_kpi_are_not_expected(food):
    spanish = ClusterFactory(code="rioja-wine", country=food.argentina)
    scottish = Template.objects.get(code="scottish-enterprise", version=1)
    scorecard_adopt(cluster=spanish, template=scottish, on=START)
    process_stale()
    assert (
        rollup(kpi("thai-lean"), food.p["q1"], "country", food.argentina.pk).clusters_expected == 2
    )


# --- Rule 5: a cluster's own KPIs -------------------------------------------------------------


def test_a_clusters_own_kpi_never_rolls_up(food):
    admin = food.users["admin"]
    scorecard = food.inside.scorecards.get(until__isnull=True)
    own = own_kpi_propose(
        scorecard=scorecard,
        csf=food.template.perspectives.first().csfs.first(),
        data={
            "code": "mendoza-barrels",
            "name": "Barrels exported",
            "unit": "count",
            "aggregation": "sum",
            "time_aggregation": "sum",
        },
        user=admin,
    )
    own_kpi_decide(kpi=own, accept=True, user=admin)
    report_with(food.inside, food.p["q1"], {own: 40, "thai-lean": 5})
    assert not RollupStale.objects.filter(kpi_id=own.pk).exists()
    process_stale()
    assert recompute_kpi(kpi_id=own.pk) == 0
    assert not Rollup.objects.filter(kpi=own).exists()
    assert value_at("thai-lean", food.p["q1"], "cluster", food.inside.pk) == 5


# --- Rule 6: targets, and the baseline ------------------------------------------------------


def test_a_target_set_at_a_level_is_that_levels_target(food):
    q1, admin = food.p["q1"], food.users["admin"]
    lean = kpi("thai-lean")
    target_set(kpi=lean, period=q1, level="country", unit=food.argentina, value=20, user=admin)
    target_set(kpi=lean, period=q1, level="program", unit=food.program, value=15, user=admin)
    target_set(kpi=lean, period=q1, level="global", unit=None, value=40, user=admin)
    report_with(food.inside, q1, {"thai-lean": 5})
    process_stale()
    for level, unit, target in [
        ("country", food.argentina.pk, 20),
        ("program", food.program.pk, 15),
        ("global", 0, 40),
    ]:
        row = rollup(lean, q1, level, unit)
        assert (row.target, row.target_derived) == (target, False), level


def test_a_sum_kpi_without_a_target_at_a_level_takes_the_sum_of_its_clusters_targets(food):
    q1, admin = food.p["q1"], food.users["admin"]
    lean = kpi("thai-lean")
    target_set(kpi=lean, period=q1, level="cluster", unit=food.inside, value=10, user=admin)
    target_set(kpi=lean, period=q1, level="cluster", unit=food.third, value=20, user=admin)
    target_set(kpi=lean, period=q1, level="region", unit=food.latam, value=50, user=admin)
    process_stale()
    argentina = rollup(lean, q1, "country", food.argentina.pk)
    assert (argentina.target, argentina.target_derived) == (10 + 20, True)
    # the global total: only the targets that exist (outside has none): 10 + 20
    everything = rollup(lean, q1, "global", 0)
    assert (everything.target, everything.target_derived) == (10 + 20, True)
    latam = rollup(lean, q1, "region", food.latam.pk)
    assert (latam.target, latam.target_derived) == (50, False)  # set there: not derived
    ecuador = rollup(lean, q1, "country", food.ecuador.pk)
    assert (ecuador.target, ecuador.target_derived) == (None, False)  # no target below it
    inside = rollup(lean, q1, "cluster", food.inside.pk)
    assert (inside.target, inside.target_derived) == (10, False)


@pytest.mark.parametrize("code", ["thai-staff-turnover", "test-satisfaction-score"])
def test_a_kpi_that_is_not_a_sum_shows_no_target_where_none_is_set(food, code):
    q1, admin = food.p["q1"], food.users["admin"]
    target_set(kpi=kpi(code), period=q1, level="cluster", unit=food.inside, value=10, user=admin)
    target_set(kpi=kpi(code), period=q1, level="cluster", unit=food.third, value=12, user=admin)
    process_stale()
    argentina = rollup(kpi(code), q1, "country", food.argentina.pk)
    assert (argentina.target, argentina.target_derived) == (None, False)
    assert rollup(kpi(code), q1, "cluster", food.third.pk).target == 12


def test_the_baseline_is_the_clusters_and_shows_at_cluster_level_only(food):
    baseline_set(cluster=food.inside, kpi=kpi("thai-lean"), data={"value": 2, "year": 2024})
    baseline_set(
        cluster=food.inside,
        kpi=kpi("thai-staff-turnover"),
        data={"numerator": 15, "denominator": 60, "year": 2024},
    )
    process_stale()
    q1 = food.p["q1"]
    assert rollup(kpi("thai-lean"), q1, "cluster", food.inside.pk).baseline == 2
    assert rollup(kpi("thai-lean"), q1, "country", food.argentina.pk).baseline is None
    assert rollup(kpi("thai-lean"), q1, "cluster", food.third.pk).baseline is None
    # a ratio KPI's baseline is entered as a ratio too: 15 / 60 x 100 = 25%
    assert rollup(kpi("thai-staff-turnover"), q1, "cluster", food.inside.pk).baseline == 25


# --- Women and men --------------------------------------------------------------------------


def test_women_and_men_roll_up_beside_the_total(food):
    skills = "thai-skills-participants"
    report_with(food.inside, food.p["q1"], {skills: {"value_women": 3, "value_men": 2}})
    report_with(food.inside, food.p["q2"], {skills: {"value_women": 1, "value_men": 1}})
    report_with(food.third, food.p["q1"], {skills: {"value_women": 4, "value_men": 1}})
    process_stale()
    q1 = rollup(kpi(skills), food.p["q1"], "country", food.argentina.pk)
    # total 5 + 5 = 10: women 3 + 4 = 7, men 2 + 1 = 3
    assert (q1.value, q1.value_women, q1.value_men) == (10, 7, 3)
    year = rollup(kpi(skills), food.p["year"], "country", food.argentina.pk)
    # inside (5 + 2) + third 5 = 12: women 3 + 1 + 4 = 8, men 2 + 1 + 1 = 4
    assert (year.value, year.value_women, year.value_men) == (12, 8, 4)


# --- Stale markers: written with the change, consumed by the engine ----------------------------


def quarterly_core_kpis_of_thai(food) -> set[int]:
    return set(
        KPI.objects.filter(
            placements__csf__perspective__template=food.template, frequency="quarterly"
        ).values_list("pk", flat=True)
    )


def test_approving_a_report_writes_its_stale_markers_in_the_same_transaction(food):
    q1 = food.p["q1"]
    report = report_with(food.inside, q1, {"thai-lean": 5}, state="submitted")
    assert not RollupStale.objects.exists()  # submitting changes no total

    with pytest.raises(RuntimeError), transaction.atomic():
        move(report, "approve")
        assert RollupStale.objects.filter(period_id=q1.pk).exists()
        raise RuntimeError("the approval fails after the marker was written")
    assert not RollupStale.objects.exists()  # gone with the approval
    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED

    move(report, "approve")
    markers = set(RollupStale.objects.values_list("kpi_id", "period_id"))
    assert markers == {(k, q1.pk) for k in quarterly_core_kpis_of_thai(food)}


def test_processing_the_markers_recomputes_what_they_name_and_deletes_them(food):
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    markers = RollupStale.objects.count()
    assert not Rollup.objects.filter(kpi=kpi("thai-lean"), clusters_reporting__gt=0).exists()

    work = process_stale()

    assert (work.markers, work.kpis) == (markers, len(quarterly_core_kpis_of_thai(food)))
    assert work.rows > 0
    assert not RollupStale.objects.exists()
    assert value_at("thai-lean", food.p["q1"], "global", 0) == 5
    assert value_at("thai-lean", food.p["year"], "global", 0) == 5  # the quarter's year too
    assert process_stale().markers == 0


def test_an_approval_is_processed_once_it_commits(food, django_capture_on_commit_callbacks):
    report = report_with(food.inside, food.p["q1"], {"thai-lean": 5}, state="submitted")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        move(report, "approve")
    assert callbacks  # the processing task was queued on commit, and ran (eager Celery)
    assert not RollupStale.objects.exists()
    assert value_at("thai-lean", food.p["q1"], "country", food.argentina.pk) == 5


def partial_ids_by_country(food, periods) -> dict[int, set[int]]:
    """The stored partial sums' row ids in these periods, by their group's country."""
    country_of = {c.pk: c.country_id for c in (food.inside, food.third, food.outside)}
    found: dict[int, set[int]] = {}
    rows = RollupPartial.objects.filter(period_id__in=[p.pk for p in periods])
    for pk, leader_id in rows.values_list("pk", "leader_id"):
        found.setdefault(country_of[leader_id], set()).add(pk)
    return found


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="groups are summed apart on PostgreSQL only (SQLite recomputes whole periods)",
)
def test_an_approval_sums_again_only_the_group_of_its_cluster(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    report = report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()
    changed = [q1, food.p["year"]]  # and not Q2 to Q4
    before = partial_ids_by_country(food, changed)

    report = move(report, "reopen")
    record(report, {"thai-lean": 12})
    move(report, "submit", "approve")
    process_stale()

    after = partial_ids_by_country(food, changed)
    assert after[food.argentina.pk] == before[food.argentina.pk]  # not touched
    assert not after[food.ecuador.pk] & before[food.ecuador.pk]  # summed again
    assert value_at("thai-lean", q1, "region", food.latam.pk) == 5 + 12
    assert value_at("thai-lean", food.p["year"], "global", 0) == 5 + 12
    assert audit() == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="groups are summed apart on PostgreSQL only (SQLite recomputes whole periods)",
)
def test_alike_clusters_beyond_the_group_size_are_summed_in_groups_apart(food, monkeypatch):
    monkeypatch.setattr(groups, "GROUP_SIZE", 1)  # inside and third are alike, in Argentina
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    report = report_with(food.third, q1, {"thai-lean": 7})
    mark_stale(reason="groups of one")
    process_stale()
    inside_rows = set(
        RollupPartial.objects.filter(leader_id=food.inside.pk).values_list("pk", flat=True)
    )
    assert inside_rows

    report = move(report, "reopen")
    record(report, {"thai-lean": 9})
    move(report, "submit", "approve")
    process_stale()

    after = set(RollupPartial.objects.filter(leader_id=food.inside.pk).values_list("pk", flat=True))
    assert after == inside_rows  # third's group summed again, inside's not touched
    assert value_at("thai-lean", q1, "country", food.argentina.pk) == 5 + 9
    assert audit() == []


def test_a_period_whose_partial_sums_were_never_built_whole_is_recomputed_whole(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    process_stale()
    # as after the upgrade that brought partial sums: totals stored, partial sums not
    RollupPartial.objects.all().delete()
    RollupPartialsBuilt.objects.all().delete()

    report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()

    assert value_at("thai-lean", q1, "global", 0) == 5 + 10  # Argentina's 5 summed again
    assert RollupPartialsBuilt.objects.filter(period_id=q1.pk).exists()
    assert audit() == []


def test_moving_a_cluster_to_another_country_moves_its_values_after_processing(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.third, q1, {"thai-lean": 7})
    report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()

    cluster_update(cluster=food.third, data={"country": food.ecuador}, fields=["country"])
    assert RollupStale.objects.filter(kpi_id=None, period_id=None).exists()
    assert value_at("thai-lean", q1, "country", food.argentina.pk) == 5 + 7  # not yet
    process_stale()

    assert value_at("thai-lean", q1, "country", food.argentina.pk) == 5
    assert value_at("thai-lean", q1, "country", food.ecuador.pk) == 7 + 10
    assert value_at("thai-lean", q1, "region", food.southern_cone.pk) == 5
    assert value_at("thai-lean", q1, "region", food.latam.pk) == 5 + 7 + 10


def test_changing_a_regions_countries_changes_its_totals_after_processing(food):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()

    region_save(
        region=food.southern_cone,
        data={"countries": [food.argentina, food.ecuador]},
        fields=["countries"],
    )
    assert RollupStale.objects.exists()
    process_stale()

    row = rollup(kpi("thai-lean"), q1, "region", food.southern_cone.pk)
    assert (row.value, row.clusters_expected) == (5 + 10, 3)


def test_adopting_a_scorecard_changes_who_is_expected_after_processing(food):
    newcomer = ClusterFactory(code="manta-tuna", country=food.ecuador)
    scorecard_adopt(cluster=newcomer, template=food.template, on=datetime.date(2025, 2, 1))
    assert RollupStale.objects.filter(kpi_id=kpi("thai-lean").pk).exists()
    process_stale()
    lean = kpi("thai-lean")
    assert rollup(lean, food.p["q1"], "country", food.ecuador.pk).clusters_expected == 2
    assert rollup(lean, food.p["q1"], "global", 0).clusters_expected == 4
    # adopted in February: not on the scorecard at the end of 2024
    periods_2024 = Period.objects.filter(year=2024)
    assert not Rollup.objects.filter(
        kpi=lean, period__in=periods_2024, unit_id=newcomer.pk
    ).exists()


def test_setting_a_target_shows_it_after_processing(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    target_set(
        kpi=lean, period=q1, level="country", unit=food.argentina, value=9, user=food.users["admin"]
    )
    assert set(RollupStale.objects.values_list("kpi_id", "period_id")) == {(lean.pk, q1.pk)}
    process_stale()
    assert rollup(lean, q1, "country", food.argentina.pk).target == 9


def test_generating_periods_gives_their_rows_after_processing(food):
    periods_generate(first_year=2026, last_year=2026)
    process_stale()
    q1_2026 = Period.objects.get(year=2026, quarter=1)
    row = rollup_or_none(kpi("thai-lean"), q1_2026, "global", 0)
    assert row is not None and (row.clusters_reporting, row.clusters_expected) == (0, 3)


def test_a_rollup_whose_source_rows_are_gone_is_deleted(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    report_with(food.outside, q1, {"thai-lean": 10})
    process_stale()
    assert rollup_or_none(lean, q1, "country", food.ecuador.pk) is not None

    # Ecuador's only cluster moves to Argentina: nothing is left to make Ecuador's total
    cluster_update(cluster=food.outside, data={"country": food.argentina}, fields=["country"])
    process_stale()
    assert not Rollup.objects.filter(level="country", unit_id=food.ecuador.pk).exists()
    assert value_at("thai-lean", q1, "country", food.argentina.pk) == 10


def test_a_deleted_clusters_rows_are_deleted(food):
    # (a cluster with reports cannot be deleted: its reports keep its scorecard)
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    process_stale()
    third, q1 = food.third.pk, food.p["q1"]
    assert rollup_or_none(kpi("thai-lean"), q1, "cluster", third) is not None  # expected, missing
    assert rollup(kpi("thai-lean"), q1, "country", food.argentina.pk).clusters_expected == 2
    food.third.delete()
    membership_changed(reason="cluster deleted")  # what the admin and the API do
    process_stale()
    assert rollup_or_none(kpi("thai-lean"), q1, "cluster", third) is None
    row = rollup(kpi("thai-lean"), food.p["q1"], "country", food.argentina.pk)
    assert (row.value, row.clusters_reporting, row.clusters_expected) == (5, 1, 1)


# --- Idempotence and audit -----------------------------------------------------------------


def test_recomputing_a_kpi_twice_gives_the_same_rows(food):
    lean = kpi("thai-lean")
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    report_with(food.third, food.p["q2"], {"thai-lean": 7})
    recompute_kpi(kpi_id=lean.pk)
    first = stored_rows([lean.pk])
    count = recompute_kpi(kpi_id=lean.pk)
    assert stored_rows([lean.pk]) == first
    assert count == Rollup.objects.filter(kpi=lean).count() > 0


def test_the_audit_finds_nothing_after_a_recompute(food):
    report_with(food.inside, food.p["q1"], {"thai-lean": 5})
    process_stale()
    assert audit() == []
    assert Rollup.objects.filter(kpi=kpi("thai-lean"), clusters_reporting=1).exists()  # kept


def test_the_audit_reports_a_row_that_was_tampered_with(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 5})
    process_stale()
    Rollup.objects.filter(kpi=lean, period=q1, level="country", unit_id=food.argentina.pk).update(
        value=999
    )
    differences = audit(kpi_ids=[lean.pk])
    assert len(differences) == 1
    assert f"kpi {lean.pk} period {q1.pk} country {food.argentina.pk}" in differences[0]
    assert "999" in differences[0]
    # the audit changes nothing
    assert rollup(lean, q1, "country", food.argentina.pk).value == 999


def test_the_audit_reports_missing_and_stray_rows(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 5})
    process_stale()
    Rollup.objects.filter(kpi=lean, period=q1, level="global").delete()
    stray = rollup(lean, q1, "country", food.argentina.pk)
    stray.pk, stray.unit_id = None, 987654
    stray.save()
    differences = audit(kpi_ids=[lean.pk])
    assert len(differences) == 2
    assert any(f"period {q1.pk} global 0" in d for d in differences)
    assert any(f"country {987654}" in d for d in differences)


def test_the_audit_reports_a_prepared_cluster_row_that_was_tampered_with(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 5})
    process_stale()
    ClusterRollup.objects.filter(kpi=lean, period=q1, unit_id=food.inside.pk).update(value=999)
    differences = audit(kpi_ids=[lean.pk])
    assert len(differences) == 1
    assert f"kpi {lean.pk} period {q1.pk} cluster {food.inside.pk}" in differences[0]


# --- Prepared cluster rows ---------------------------------------------------------------------


def prepared(lean, period) -> dict[int, tuple]:
    """The prepared rows of a KPI in a period by cluster: (row id, value, clusters reporting)."""
    rows = ClusterRollup.objects.filter(kpi=lean, period=period)
    return {r.unit_id: (r.pk, r.value, r.clusters_reporting) for r in rows}


def test_the_engine_prepares_the_cluster_rows_readers_get(food):
    q1, lean = food.p["q1"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.outside, q1, {"thai-lean": 9})
    process_stale()

    rows = prepared(lean, q1)
    assert {unit: rest for unit, (_pk, *rest) in rows.items()} == {
        food.inside.pk: [Decimal("5"), 1],
        food.outside.pk: [Decimal("9"), 1],
        food.third.pk: [None, 0],  # expected to report, and did not
    }
    read = cluster_rows(period_ids=[q1.pk], kpi_ids=[lean.pk])
    assert {(r.unit_id, r.value, r.pk, r.level) for r in read} == {
        (food.inside.pk, Decimal("5"), None, "cluster"),
        (food.outside.pk, Decimal("9"), None, "cluster"),
        (food.third.pk, None, None, "cluster"),
    }
    computed = computed_cluster_rows(period_ids=[q1.pk], kpi_ids=[lean.pk])
    assert {(r.unit_id, r.value) for r in computed} == {(r.unit_id, r.value) for r in read}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite recomputes whole periods")
def test_an_approval_rewrites_the_prepared_rows_of_its_cluster_only(food):
    q1, q2, lean = food.p["q1"], food.p["q2"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 5})
    report_with(food.outside, q1, {"thai-lean": 9})
    process_stale()
    before = prepared(lean, q1)

    year = Period.objects.get(kind=Period.Kind.YEAR, year=q1.year)
    year_before = prepared(lean, year)

    report_with(food.inside, q2, {"thai-lean": 6})  # approved: Q2 and its year, for inside
    process_stale()

    assert prepared(lean, q1) == before  # another quarter: untouched
    after = prepared(lean, year)
    assert after[food.outside.pk] == year_before[food.outside.pk]  # the same row, untouched
    assert after[food.inside.pk][0] != year_before[food.inside.pk][0]  # written anew
    assert after[food.inside.pk][1:] == (Decimal("11"), 1)  # a summed flow: 5 + 6
    assert prepared(lean, q2)[food.inside.pk][1:] == (Decimal("6"), 1)


# --- Rule 7 through the API: achievement and status of rollup rows -----------------------------


def api_row(client, user, kpi_obj, period, level, unit_id) -> dict:
    client.force_authenticate(user)
    response = client.get(
        "/api/v1/rollups/",
        {"kpi": kpi_obj.pk, "period": period.pk, "level": level, "unit": unit_id},
    )
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    return row


def test_a_rollup_rows_achievement_is_value_over_target(food, api_client):
    q1, admin, lean = food.p["q1"], food.users["admin"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 3})
    report_with(food.third, q1, {"thai-lean": 5})
    target_set(kpi=lean, period=q1, level="country", unit=food.argentina, value=10, user=admin)
    process_stale()
    row = api_row(api_client, admin, lean, q1, "country", food.argentina.pk)
    # (3 + 5) / 10 = 80%: amber (at or above 75%, below 100%)
    assert (D(row["value"]), D(row["achievement_percent"]), row["status"]) == (8, 80, "amber")


def test_a_cluster_rows_achievement_runs_from_its_baseline_to_its_target(food, api_client):
    q1, admin, lean = food.p["q1"], food.users["admin"], kpi("thai-lean")
    report_with(food.inside, q1, {"thai-lean": 3})
    baseline_set(cluster=food.inside, kpi=lean, data={"value": 1, "year": 2024})
    target_set(kpi=lean, period=q1, level="cluster", unit=food.inside, value=5, user=admin)
    process_stale()
    row = api_row(api_client, admin, lean, q1, "cluster", food.inside.pk)
    # (3 - 1) / (5 - 1) = 50%: red
    assert (D(row["achievement_percent"]), row["status"]) == (50, "red")
    # the country has a derived target of 5 and no baseline: 3 / 5 = 60%, red
    country = api_row(api_client, admin, lean, q1, "country", food.argentina.pk)
    assert (country["target_derived"], D(country["achievement_percent"])) == (True, 60)


@pytest.mark.parametrize(
    "target, achievement, colour",
    [
        ("48", "80", "amber"),  # 48 / 60 = 80%
        ("60", "100", "green"),  # 60 / 60 = 100%: met
        ("75", "125", "green"),  # beaten: 75 / 60
        ("30", "50", "red"),  # 30 / 60
    ],
)
def test_a_lower_is_better_kpi_achieves_target_over_actual(
    food, api_client, target, achievement, colour
):
    q1, admin, turnover = food.p["q1"], food.users["admin"], kpi("thai-staff-turnover")
    report_with(food.inside, q1, {"thai-staff-turnover": (4, 6)})
    report_with(food.third, q1, {"thai-staff-turnover": (2, 4)})
    target_set(
        kpi=turnover, period=q1, level="country", unit=food.argentina, value=target, user=admin
    )
    process_stale()
    row = api_row(api_client, admin, turnover, q1, "country", food.argentina.pk)
    # Argentina's turnover is (4 + 2) / (6 + 4) = 60%; lower is better: target / actual
    assert D(row["value"]) == 60
    assert (D(row["achievement_percent"]), row["status"]) == (D(achievement), colour)


def test_a_lower_is_better_cluster_row_mirrors_the_baseline_formula(food, api_client):
    q1, admin, turnover = food.p["q1"], food.users["admin"], kpi("thai-staff-turnover")
    report_with(food.inside, q1, {"thai-staff-turnover": (1, 4)})  # 25%
    baseline_set(
        cluster=food.inside, kpi=turnover, data={"numerator": 40, "denominator": 100, "year": 2024}
    )
    target_set(kpi=turnover, period=q1, level="cluster", unit=food.inside, value=20, user=admin)
    process_stale()
    row = api_row(api_client, admin, turnover, q1, "cluster", food.inside.pk)
    # (baseline - actual) / (baseline - target) = (40 - 25) / (40 - 20) = 75%: amber
    assert (D(row["baseline"]), D(row["achievement_percent"]), row["status"]) == (
        40,
        75,
        "amber",
    )


def test_a_rollup_row_without_a_target_is_grey(food, api_client):
    q1 = food.p["q1"]
    report_with(food.inside, q1, {"thai-lean": 3})
    process_stale()
    row = api_row(api_client, food.users["admin"], kpi("thai-lean"), q1, "global", 0)
    assert (row["target"], row["achievement_percent"], row["status"]) == (None, None, "grey")


def _planner_setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner settings are PostgreSQL's own"
)
def test_the_statements_are_hashed_never_looped_or_sorted(db):
    # No nested loop over CTEs the planner cannot size, no sort of 150 000 cluster years: a
    # whole year's statements and an approval's (which find values through report ids) alike.
    from monitoring.rollups.engine import _plan_for_the_statement

    with transaction.atomic():
        _plan_for_the_statement()
        assert (_planner_setting("enable_nestloop"), _planner_setting("enable_sort")) == (
            "off",
            "off",
        )
        assert _planner_setting("work_mem") == "512MB"
