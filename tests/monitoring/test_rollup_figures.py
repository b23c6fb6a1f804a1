"""The presenter of a rolled-up number (monitoring.rollups.figures), numbers worked by hand: how a
share, a ratio and a lower-is-better KPI are shown and scored, with coverage and freshness."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import RollupStale
from monitoring.models import Rollup
from monitoring.rollups.figures import StaleIndex, figure
from scorecards.models import KPI, Level, Period

D = Decimal
AS_OF = datetime.datetime(2025, 4, 2, 8, 30, tzinfo=datetime.UTC)


def a_kpi(**fields) -> KPI:
    defaults = {
        "pk": 7,
        "code": "kpi",
        "name": "A KPI",
        "unit": KPI.Unit.COUNT,
        "aggregation": KPI.Aggregation.SUM,
        "direction": KPI.Direction.HIGHER,
    }
    return KPI(**{**defaults, **fields})


def a_row(kpi: KPI, *, level=Level.COUNTRY, unit_id=3, **fields) -> Rollup:
    period = Period(pk=11, kind=Period.Kind.QUARTER, year=2025, quarter=1)
    defaults = {
        "clusters_reporting": 4,
        "clusters_expected": 5,
        "clusters_complete": None,
        "computed_at": AS_OF,
    }
    return Rollup(kpi=kpi, period=period, level=level, unit_id=unit_id, **{**defaults, **fields})


def test_a_share_of_3_clusters_of_4_answering_yes_is_shown_as_75_percent():
    plan = a_kpi(unit=KPI.Unit.YES_NO, aggregation=KPI.Aggregation.SHARE_YES)
    # 3 yes of 4 reporting = 0.75, against a target of 0.8
    row = a_row(plan, value=D("0.75"), target=D("0.8"), clusters_reporting=4)

    f = figure(row, stale_index=None)

    assert f.is_share and f.measure == "%"
    assert (f.value, f.shown_value) == (D("0.75"), 75)  # 0.75 x 100
    assert (f.target, f.shown_target) == (D("0.8"), 80)
    # 0.75 / 0.8 = 0.9375: at least the amber 75 %, below the green 100 %
    assert (f.achievement, f.achievement_percent) == (D("0.9375"), D("93.8"))  # to one place
    assert (f.status, str(f.status_label)) == ("amber", "At risk")


def test_a_yes_no_kpi_at_cluster_level_is_the_clusters_own_answer_not_a_share():
    plan = a_kpi(unit=KPI.Unit.YES_NO, aggregation=KPI.Aggregation.SHARE_YES)

    f = figure(a_row(plan, level=Level.CLUSTER, value=D(1)), stale_index=None)

    assert not f.is_share
    assert f.shown_value == 1 and f.measure == "Yes / no"


def test_a_ratio_kpi_is_shown_as_the_engine_scaled_it_by_100_and_scored_from_its_baseline():
    turnover = a_kpi(unit=KPI.Unit.PERCENT, aggregation=KPI.Aggregation.RATIO, scale=D(100))
    # (4 + 2) / (6 + 4) x 100 = 60, from a baseline of 40 toward a target of 80
    row = a_row(
        turnover,
        numerator=D(6),
        denominator=D(10),
        value=D(60),
        baseline=D(40),
        target=D(80),
    )

    f = figure(row, stale_index=None)

    assert (f.scale, f.shown_value, f.measure) == (100, 60, "Percent")  # not 6000
    # (60 - 40) / (80 - 40) = 20 / 40 = 50 %: below the amber 75 %
    assert (f.achievement, f.status) == (D("0.5"), "red")


def test_a_lower_is_better_kpi_mirrors_its_achievement_and_takes_its_templates_thresholds():
    days = a_kpi(unit=KPI.Unit.NUMBER, aggregation=KPI.Aggregation.MEAN, direction="lower")
    # from a baseline of 20 days down to 14, toward a target of 10: (20 - 14) / (20 - 10) = 60 %
    row = a_row(days, value=D(14), baseline=D(20), target=D(10))

    assert figure(row, stale_index=None).achievement == D("0.6")
    assert figure(row, stale_index=None).status == "red"  # default thresholds: 100 %, 75 %
    row.green, row.amber = D("0.9"), D("0.5")  # the template's own (selectors.rollup_list)
    assert figure(row, stale_index=None).status == "amber"  # 60 % >= 50 %
    # without a baseline, target / actual: 10 / 14 = 71.4 %; 8 days beat the target: 10 / 8
    no_baseline = a_row(days, value=D(14), target=D(10))
    assert round(figure(no_baseline, stale_index=None).achievement, 3) == D("0.714")
    beaten = a_row(days, value=D(8), target=D(10))
    assert figure(beaten, stale_index=None).achievement == D("1.25")


def test_a_figure_carries_its_coverage_target_origin_unit_and_link():
    sales = a_kpi(unit=KPI.Unit.CURRENCY, currency="USD")
    row = a_row(
        sales,
        level=Level.GLOBAL,
        unit_id=0,
        value=D(1200),
        target=D(1000),
        target_derived=True,
        clusters_reporting=3,
        clusters_expected=5,
        clusters_complete=2,
    )

    f = figure(row, stale_index=None, unit_name="ignored at the global level")

    assert f.measure == "USD"
    assert (f.coverage.reporting, f.coverage.expected, f.coverage.complete) == (3, 5, 2)
    assert f.coverage.missing == 5 - 3
    assert f.target_derived and f.as_of == AS_OF
    assert (f.unit_name, f.level_label) == ("All", "Global")
    assert f.url == reverse("rollup-detail", args=[7, 11, "global", 0])
    # 1200 of 1000: 120 %, on track; no value at all: no score, grey
    assert (f.achievement_percent, f.status) == (120, "green")
    assert figure(a_row(sales), stale_index=None).status == "grey"


@pytest.mark.django_db
def test_a_figure_is_stale_while_a_marker_names_its_kpi_and_period():
    RollupStale.objects.create(kpi_id=7, period_id=11, reason="approved")
    index = StaleIndex()

    assert figure(a_row(a_kpi()), stale_index=index).stale
    assert not figure(a_row(a_kpi(pk=8)), stale_index=index).stale
    assert not figure(a_row(a_kpi()), stale_index=None).stale  # not asked: a cluster's trend
