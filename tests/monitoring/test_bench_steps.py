"""bench/rollup_steps.py times the engine's own statements, cut after each step: on a small
world its counts are what each step must hold and what the engine itself writes."""

import pytest
from django.db import connection

from bench.rollup_steps import measure
from bench.world import build_world
from monitoring.models import Rollup, RollupPartial
from monitoring.rollups.engine import recompute
from scorecards.models import Period

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the benchmark's world is built with PostgreSQL's SQL (generate_series)",
)


def test_each_step_counts_what_it_must_and_the_writes_are_the_engines(db):
    with connection.cursor() as cursor:
        build_world(cursor, clusters=12, kpis=6, periods=8, first_year=2015)
    figures = measure(2015, repeat=1)

    # every cluster reports every KPI in each quarter: 12 x 6 x 4 values, 72 cluster years
    assert figures["read"].rows == 12 * 6 * 4
    assert figures["side_by_side"].rows == figures["year_values"].rows == 12 * 6
    assert figures["floor_share"].rows == 12 * 6 * 2  # the floor: cluster, KPI and year, 2 years
    assert all(step.seconds > 0 for step in figures.values())
    # rolled back: nothing measured is left behind
    assert not RollupPartial.objects.exists() and not Rollup.objects.exists()

    periods = Period.objects.filter(year=2015)
    recompute(period_ids=periods.values_list("pk", flat=True))
    assert figures["partials"].rows == RollupPartial.objects.count() > 0
    assert figures["totals"].rows == Rollup.objects.filter(period__in=periods).count() > 0


def test_measurements_partitioned_by_year_give_the_same_rows_reading_one_years_partition(db):
    from bench.partitions import partition, partitions_read, put_back, years_told
    from monitoring.models import Report

    with connection.cursor() as cursor:
        build_world(cursor, clusters=12, kpis=6, periods=8, first_year=2015)
    recompute()
    columns = ["kpi_id", "period_id", "level", "unit_id", "value", "clusters_reporting"]
    plain = sorted(Rollup.objects.values_list(*columns))
    quarter = Period.objects.get(year=2016, quarter=4)
    cluster = Report.objects.filter(period=quarter).values_list("cluster_id", flat=True)[0]

    with connection.cursor() as cursor:
        partition(cursor, [2015, 2016])
    try:
        every_year = partitions_read(quarter.pk, cluster)
        assert set(every_year) == {"monitoring_measurement_2015", "monitoring_measurement_2016"}
        with years_told():
            pruned = partitions_read(quarter.pk, cluster)
            assert pruned == {
                "monitoring_measurement_2016": every_year["monitoring_measurement_2016"]
            }
            Rollup.objects.all().delete()
            recompute()
    finally:
        with connection.cursor() as cursor:
            put_back(cursor)

    assert sorted(Rollup.objects.values_list(*columns)) == plain


def test_the_benchmarking_bench_times_each_readers_page_and_download(db):
    from bench.benchmarking import GROUPINGS, measure
    from monitoring.models import ClusterRollup
    from scorecards.models import KPI

    with connection.cursor() as cursor:
        build_world(cursor, clusters=12, kpis=6, periods=8, first_year=2015)
    recompute()
    quarter = Period.objects.get(year=2016, quarter=4)
    kpi = KPI.objects.get(pk=ClusterRollup.objects.filter(period=quarter).values("kpi_id")[:1])

    timings = measure(kpi, quarter, repeats=2)

    assert {(t.role, t.grouping, t.every) for t in timings} == {
        (role, grouping, every)
        for role in ("admin", "ministry", "officer")
        for grouping in GROUPINGS
        for every in (False, True)
    }
    admin = [t for t in timings if t.role == "admin"]
    assert all(t.clusters == 12 and len(t.times) == 2 and t.first > 0 for t in admin)
    # one query ranks and cuts, five read the figures of the peers listed (none where every
    # group is confidential: 12 clusters in many countries)
    assert all(t.queries in (1, 6) for t in timings)
    assert {t.queries for t in admin if t.grouping == "sector"} == {6}
