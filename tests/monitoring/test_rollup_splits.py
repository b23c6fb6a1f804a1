"""Splits beyond sex (age group, firm size, ownership) rolled up beside the totals, worked by hand.

The world: `inside` (Argentina) and `outside` (Ecuador), both in the region Latin America, on a
template holding one KPI, "people trained", a quarterly count summed over time and clusters,
split by sex, age group, firm size and ownership. Inside gives every split, outside only
women and men: the region's age split comes from 1 of its 2 reporting clusters (50%).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from monitoring.models import (
    Flag,
    Measurement,
    MeasurementSplit,
    Rollup,
    RollupSplit,
    RollupSplitPartial,
)
from monitoring.reports.services import report_open
from monitoring.rollups.engine import cluster_split_rows, recompute
from monitoring.rollups.selectors import split_completeness
from monitoring.rollups.staleness import process_stale
from scorecards.models import KPI, AgeGroup, Period
from scorecards.services import periods_generate, scorecard_adopt
from tests.monitoring.rollup_reference import (
    core_kpi,
    record,
    reference_split_rows,
    report_with,
    split_differences,
    stored_split_rows,
    template_with,
)

D = Decimal
START = datetime.date(2024, 1, 1)
INSIDE_Q1 = {
    "value": 10,
    "value_women": 4,
    "value_men": 6,
    "splits": {
        "age": {"youth": 3, "25-34": 5, "35-plus": 2},
        "firm_size": {"micro": 6, "small": 4},
        "ownership": {"women_led": 7, "not_women_led": 3},
    },
}
OUTSIDE_Q1 = {"value": 5, "value_women": 2, "value_men": 3}
INSIDE_Q2 = {
    "value": 4,
    "value_women": 1,
    "value_men": 3,
    "splits": {"age": {"youth": 1, "25-34": 3}},
}


def age_groups():
    """The three bands the migration seeds (a flushed database has lost them)."""
    for order, (code, name, low, high) in enumerate(
        [
            ("youth", "Youth (15-24)", 15, 24),
            ("25-34", "25-34", 25, 34),
            ("35-plus", "35 and over", 35, None),
        ]
    ):
        AgeGroup.objects.get_or_create(
            code=code, defaults={"name": name, "min_age": low, "max_age": high, "order": order}
        )


@pytest.fixture
def split(world):
    age_groups()
    periods_generate(first_year=2025, last_year=2025)
    world.kpi = core_kpi(
        "d-trained", by_sex=True, by_age=True, by_firm_size=True, by_ownership=True
    )
    template = template_with("d-splits", [world.kpi])
    for cluster in (world.inside, world.outside):
        scorecard_adopt(cluster=cluster, template=template, on=START)
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.q2 = Period.objects.get(year=2025, quarter=2)
    world.year = Period.objects.get(year=2025, quarter=0)
    process_stale()
    return world


def parts_at(kpi, period, level, unit_id) -> dict:
    rows = RollupSplit.objects.filter(kpi=kpi, period=period, level=level, unit_id=unit_id)
    return {(r.dimension, r.category): (r.value, r.clusters, r.clusters_split) for r in rows}


def test_region_adds_up_the_parts_beside_the_total_and_says_how_complete_each_split_is(split):
    # given inside gives every split and outside only women and men, both approved in Q1
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    process_stale()
    # then the region's total is 10 + 5 = 15 from 2 clusters
    at_region = {"kpi": split.kpi, "period": split.q1, "level": "region", "unit_id": split.latam.pk}
    total = Rollup.objects.get(**at_region)
    assert (total.value, total.clusters_reporting) == (D(15), 2)
    parts = parts_at(split.kpi, split.q1, "region", split.latam.pk)
    # women 4 + 2 = 6 and men 6 + 3 = 9, from both clusters, as the total's own columns say
    assert parts[("sex", "women")] == (D(6), 2, 2)
    assert parts[("sex", "men")] == (D(9), 2, 2)
    assert (total.value_women, total.value_men) == (D(6), D(9))
    # the age groups come from inside alone: 3, 5, 2, one cluster of the 2 reporting
    assert parts[("age", "youth")] == (D(3), 1, 1)
    assert parts[("age", "25-34")] == (D(5), 1, 1)
    assert parts[("age", "35-plus")] == (D(2), 1, 1)
    # a category no one gave has no row (medium and large firms)
    assert parts[("firm_size", "micro")] == (D(6), 1, 1)
    assert ("firm_size", "medium") not in parts
    # completeness: sex 2 / 2 = 100%, the others 1 / 2 = 50%
    completeness = split_completeness(total, list(RollupSplit.objects.filter(**at_region)))
    half = D("0.5")
    assert completeness == {"sex": D(1), "age": half, "firm_size": half, "ownership": half}
    # Argentina holds inside alone: every split complete (1 / 1)
    argentina = parts_at(split.kpi, split.q1, "country", split.argentina.pk)
    assert argentina[("age", "youth")] == (D(3), 1, 1)
    # Ecuador: outside gave only sex
    assert {
        dimension for dimension, _c in parts_at(split.kpi, split.q1, "country", split.ecuador.pk)
    } == {"sex"}


def test_a_year_adds_up_each_part_over_its_quarters_first(split):
    # given inside's Q1 (youth 3, 25-34 5, 35+ 2) and Q2 (youth 1, 25-34 3, no 35+)
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.inside, split.q2, {"d-trained": INSIDE_Q2})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    process_stale()
    year = parts_at(split.kpi, split.year, "global", 0)
    # the year sums the quarters part by part: youth 3 + 1 = 4, 25-34 5 + 3 = 8, 35+ 2
    assert year[("age", "youth")] == (D(4), 1, 1)
    assert year[("age", "25-34")] == (D(8), 1, 1)
    assert year[("age", "35-plus")] == (D(2), 1, 1)
    # women 4 + 1 + 2 (outside) = 7
    assert year[("sex", "women")] == (D(7), 2, 2)


def stored_parts(kpi, period) -> dict[tuple, tuple]:
    """The groups' stored parts: (row id, value, clusters, clusters_split) by leader,
    dimension and category."""
    rows = RollupSplitPartial.objects.filter(kpi_id=kpi.pk, period_id=period.pk)
    return {
        (r.leader_id, r.dimension, r.category): (r.pk, r.value_sum, r.clusters, r.clusters_split)
        for r in rows
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite recomputes whole periods")
def test_an_approval_sums_again_the_parts_of_its_clusters_group_alone(split):
    # given Q1 approved in both clusters (two groups: Argentina and Ecuador)
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    process_stale()
    before = stored_parts(split.kpi, split.year)
    # when inside's Q2 is approved
    report_with(split.inside, split.q2, {"d-trained": INSIDE_Q2})
    process_stale()
    after = stored_parts(split.kpi, split.year)
    # then outside's group keeps its rows (the same ids), inside's are written anew
    outside = {key: row for key, row in after.items() if key[0] == split.outside.pk}
    assert outside == {key: row for key, row in before.items() if key[0] == split.outside.pk}
    assert outside  # not vacuous: outside gave women and men
    inside_youth = (split.inside.pk, "age", "youth")
    assert after[inside_youth][0] != before[inside_youth][0]
    # youth over the year: 3 + 1 = 4, from inside alone
    assert after[inside_youth][1:] == (D(4), 1, 1)
    # and the year's split rows, added up from both groups' parts: women 4 + 1 + 2 = 7
    year = parts_at(split.kpi, split.year, "region", split.latam.pk)
    assert year[("sex", "women")] == (D(7), 2, 2)
    assert year[("age", "youth")] == (D(4), 1, 1)
    # and they equal a full recompute's
    recompute()
    assert parts_at(split.kpi, split.year, "region", split.latam.pk) == year


def test_a_draft_adds_no_part_and_a_reopened_report_takes_its_parts_out(split):
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1}, state="submitted")
    process_stale()
    assert parts_at(split.kpi, split.q1, "global", 0) == {}


def test_cluster_split_rows_are_computed_on_read(split):
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    rows = cluster_split_rows(period_ids=[split.q1.pk], cluster_ids=[split.inside.pk])
    found = {(r.dimension, r.category): (r.value, r.clusters, r.clusters_split) for r in rows}
    assert found[("ownership", "women_led")] == (D(7), 1, 1)
    assert {r.level for r in rows} == {"cluster"}


def test_the_engine_agrees_with_the_reference_on_every_split_row(split):
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.inside, split.q2, {"d-trained": INSIDE_Q2})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    recompute()
    expected = reference_split_rows([split.kpi.pk])
    assert expected  # not vacuous
    assert split_differences(stored_split_rows([split.kpi.pk]), expected) == []


def test_last_over_time_takes_the_latest_quarters_parts(split):
    kpi = KPI.objects.get(code="d-trained")
    KPI.objects.filter(pk=kpi.pk).update(time_aggregation="last")
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.inside, split.q2, {"d-trained": INSIDE_Q2})
    recompute()
    year = parts_at(kpi, split.year, "global", 0)
    # Q2 is the latest: youth 1, 25-34 3, and no 35+ (Q2 gave none)
    assert year[("age", "youth")] == (D(1), 1, 1)
    assert ("age", "35-plus") not in year
    assert split_differences(stored_split_rows([kpi.pk]), reference_split_rows([kpi.pk])) == []


# --- Entry: the parts are kept, and parts that do not add up are flagged ----------------------


def test_parts_not_adding_up_to_the_total_are_flagged_not_refused(split):
    report = report_open(cluster=split.inside, period=split.q1)
    # youth 3 + 25-34 5 + 35+ 1 = 9, firm sizes 6 + 4 = 10, total 10
    record(
        report,
        {
            "d-trained": {
                "value": 10,
                "value_women": 4,
                "value_men": 6,
                "splits": {
                    "age": {"youth": 3, "25-34": 5, "35-plus": 1},
                    "firm_size": {"micro": 6, "small": 4},
                },
            }
        },
    )
    measurement = Measurement.objects.get(report=report, kpi=split.kpi)
    assert measurement.value == 10
    assert MeasurementSplit.objects.filter(measurement=measurement).count() == 5  # saved
    flag = Flag.objects.get(measurement=measurement)
    assert flag.rule == Flag.Rule.PARTS
    assert flag.numbers == {"age": "9.0000", "value": "10.0000"}  # firm sizes add up
    assert flag.message == "parts add up to age group 9, total 10"
    # correcting 35+ to 2 clears the flag and changes the part in place
    record(report, {"d-trained": {**INSIDE_Q1}})
    assert not Flag.objects.filter(measurement=measurement).exists()
    assert (
        MeasurementSplit.objects.get(
            measurement=measurement, dimension="age", category="35-plus"
        ).value
        == 2
    )


def test_parts_sent_replace_their_dimension_and_unknown_categories_are_refused(split):
    from django.core.exceptions import ValidationError

    report = report_open(cluster=split.inside, period=split.q1)
    record(report, {"d-trained": INSIDE_Q1})
    record(report, {"d-trained": {**INSIDE_Q1, "splits": {"age": {"youth": 10}}}})
    measurement = Measurement.objects.get(report=report, kpi=split.kpi)
    # the age groups sent replace those stored; firm sizes and ownership, not sent, stay
    assert measurement.parts == {
        "age": {"youth": D(10)},
        "firm_size": {"micro": D(6), "small": D(4)},
        "ownership": {"women_led": D(7), "not_women_led": D(3)},
    }
    assert MeasurementSplit.objects.filter(measurement=measurement).count() == 5
    # emptying the value takes its parts with it
    record(report, {"d-trained": {"value": None, "value_women": None, "value_men": None}})
    assert not MeasurementSplit.objects.filter(measurement=measurement).exists()
    with pytest.raises(ValidationError) as refused:
        record(report, {"d-trained": {**INSIDE_Q1, "splits": {"age": {"over-90": 1}}}})
    assert f"{split.kpi.pk}.splits.age.over-90" in refused.value.message_dict


def test_a_kpi_not_split_by_a_dimension_ignores_its_parts(split):
    KPI.objects.filter(pk=split.kpi.pk).update(by_age=False)
    report = report_open(cluster=split.inside, period=split.q1)
    record(report, {"d-trained": INSIDE_Q1})
    measurement = Measurement.objects.get(report=report, kpi=split.kpi)
    assert set(measurement.parts) == {"firm_size", "ownership"}


def test_the_rollups_api_gives_each_split_beside_the_total(split, api_client):
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    process_stale()
    api_client.force_authenticate(split.users["admin"])

    response = api_client.get(
        "/api/v1/rollups/",
        {"kpi": split.kpi.pk, "period": split.q1.pk, "level": "region", "unit": split.latam.pk},
    )

    assert response.status_code == 200, response.json()
    (row,) = response.json()["results"]
    splits = {s["dimension"]: s for s in row["splits"]}
    # sex from both clusters (100%), age from inside alone (1 of 2: 50%)
    assert splits["sex"]["completeness_percent"] == "100.00"
    assert splits["age"]["completeness_percent"] == "50.00"
    assert splits["age"]["clusters_split"] == 1
    parts = {p["category"]: (p["value"], p["clusters"]) for p in splits["age"]["parts"]}
    assert parts["youth"][1] == 1 and parts["youth"][0].startswith("3")
    # the cluster rows, computed on read, carry their parts too
    inside = api_client.get(
        "/api/v1/rollups/",
        {"kpi": split.kpi.pk, "period": split.q1.pk, "level": "cluster", "unit": split.inside.pk},
    )
    (cluster_row,) = inside.json()["results"]
    assert {s["dimension"] for s in cluster_row["splits"]} >= {"age", "sex"}
