"""Property: whatever users do, in any order, the rollups kept up to date by the stale markers
equal a full recompute from scratch and an independent plain-Python reading of DESIGN.md.

A small world, the same for every example: four clusters in three countries, three
overlapping regions, two programs (one enrolment starting in Q2), one cluster adopting the
scorecard only in April; eight core KPIs covering every aggregation across clusters (sum with
a women / men split and parts by age group and firm size, ratio, share of yes, mean, min,
max) and over time (sum, last, mean), one of them annual; 2025-Q1, Q2 and the year, with
targets and baselines. Hypothesis then runs random sequences of what users do: approve a
report, reopen it, edit or empty a value (a reopened report first), move a cluster,
deactivate it, change an enrolment, set a target, add a period. After each step the markers
are processed and four things must hold:

(a) the rows equal those of a full recompute of every KPI;
(b) they equal the reference in tests/monitoring/rollup_reference.py (numbers give or take
    0.0001: rows keep 4 places, and SQLite sums floats);
(c) no row stands for a unit without an expected or a reporting cluster;
(d) the split rows (parts beside the totals, with the clusters that gave them) equal those of
    the full recompute and the reference's (a "last" KPI's parts, o-online's ownership, too).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from clusters.models import Cluster, Country, Region
from clusters.services import cluster_update
from core.staleness import mark_stale
from monitoring.models import Report, Rollup
from monitoring.reports.services import report_open
from monitoring.rollups.engine import recompute_kpi
from monitoring.rollups.sql import groups
from monitoring.rollups.staleness import process_stale
from programs.models import Enrolment, Program
from scorecards.models import KPI, Baseline, Level, Period
from scorecards.services import scorecard_adopt, target_set
from tests.factories import ClusterFactory, CountryFactory, ProgramFactory, RegionFactory
from tests.monitoring.rollup_reference import (
    admin_user,
    core_kpi,
    differences,
    move,
    record,
    reference_rows,
    split_differences,
    stored_rows,
    stored_split_rows,
    template_with,
)
from tests.monitoring.test_rollup_splits import age_groups

# code -> (fields, how an integer drawn by Hypothesis becomes an input)
KPIS = {
    "o-members": (
        {"by_sex": True, "by_age": True, "by_firm_size": True},
        lambda v: {
            "value_women": v // 2,
            "value_men": v - v // 2,
            # every third value without its age groups: a split some clusters do not give
            "splits": {
                "age": {} if v % 3 == 0 else {"youth": v // 3, "25-34": v - v // 3},
                "firm_size": {"micro": v},
            },
        },
    ),
    "o-turnover": (
        {"unit": "percent", "aggregation": "ratio", "direction": "lower"},
        lambda v: (v, v % 5 + 1),
    ),
    "o-online": (
        {"time_aggregation": "last", "by_ownership": True},
        lambda v: (
            {"value": v}
            if v % 4 == 0
            else {
                "value": v,
                "splits": {"ownership": {"women_led": v % 4, "not_women_led": v - v % 4}},
            }
        ),
    ),
    "o-website": (
        {"unit": "yes_no", "aggregation": "share_yes", "time_aggregation": "last"},
        lambda v: v % 2,
    ),
    "o-score": (
        {"unit": "score", "aggregation": "mean", "time_aggregation": "mean"},
        lambda v: Decimal(v) / 4,
    ),
    "o-lowest-price": (
        {"unit": "number", "aggregation": "min", "time_aggregation": "mean"},
        lambda v: Decimal(v) / 4,
    ),
    "o-highest-price": (
        {"unit": "number", "aggregation": "max", "time_aggregation": "last"},
        lambda v: v * 3,
    ),
    "o-loan-months": (
        {"unit": "number", "aggregation": "sum", "frequency": "annual"},
        lambda v: v + 6,
    ),
}
CODES = sorted(KPIS)
JAN_2024 = datetime.date(2024, 1, 1)
EMPTY = {"value": None, "numerator": None, "denominator": None}
NEXT_PERIODS = [(2025, 3), (2025, 4), (2026, 1)]


def make_period(year: int, quarter: int) -> Period:
    starts_on, ends_on = Period.bounds(year, quarter)
    return Period.objects.create(
        kind=Period.Kind.QUARTER if quarter else Period.Kind.YEAR,
        year=year,
        quarter=quarter,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=ends_on + datetime.timedelta(days=30),
    )


def build_world():
    """The fixed starting point of every example."""
    age_groups()
    a, b, c = (CountryFactory(code=code, name=code) for code in ("XA", "XB", "XC"))
    RegionFactory(code="r-ab", countries=[a, b])
    RegionFactory(code="r-bc", countries=[b, c])
    RegionFactory(code="r-a", countries=[a])
    clusters = [
        ClusterFactory(code="o-c1", country=a),
        ClusterFactory(code="o-c2", country=a),
        ClusterFactory(code="o-c3", country=b),
        ClusterFactory(code="o-c4", country=c),
    ]
    p1, p2 = ProgramFactory(code="o-p1"), ProgramFactory(code="o-p2")
    start = datetime.date(2020, 1, 1)
    for program, cluster, since in [
        (p1, clusters[0], start),
        (p1, clusters[1], start),
        (p2, clusters[1], start),
        (p2, clusters[2], datetime.date(2025, 4, 1)),
    ]:
        Enrolment.objects.create(program=program, cluster=cluster, enrolled_from=since)
    for year, quarter in [(2025, 0), (2025, 1), (2025, 2)]:
        make_period(year, quarter)
    kpis = [core_kpi(code, **KPIS[code][0]) for code in CODES]
    template = template_with("oracle", kpis)
    for cluster in clusters[:3]:
        scorecard_adopt(cluster=cluster, template=template, on=JAN_2024)
    scorecard_adopt(cluster=clusters[3], template=template, on=datetime.date(2025, 4, 1))
    q1 = Period.objects.get(year=2025, quarter=1)
    admin = admin_user()
    members, turnover = KPI.objects.get(code="o-members"), KPI.objects.get(code="o-turnover")
    target_set(kpi=members, period=q1, level="cluster", unit=clusters[0], value=10, user=admin)
    target_set(kpi=members, period=q1, level="cluster", unit=clusters[2], value=5, user=admin)
    target_set(kpi=turnover, period=q1, level="global", unit=None, value=30, user=admin)
    Baseline.objects.create(cluster=clusters[0], kpi=members, year=2024, value=2)
    Baseline.objects.create(
        cluster=clusters[1], kpi=turnover, year=2024, numerator=1, denominator=4
    )
    return [k.pk for k in kpis]


index = st.integers(min_value=0, max_value=5)  # taken modulo the choices at hand
drawn = st.lists(st.integers(0, 12), min_size=len(CODES), max_size=len(CODES))


class RollupMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # each example rolls back to here
        self.kpi_ids = build_world()
        self.admin = admin_user()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- choosing ------------------------------------------------------------------------

    def pick(self, queryset, i):
        items = list(queryset)
        return items[i % len(items)]

    def cluster(self, i) -> Cluster:
        return self.pick(Cluster.objects.filter(code__startswith="o-").order_by("code"), i)

    def period(self, i) -> Period:
        return self.pick(Period.objects.order_by("year", "quarter"), i)

    def report(self, c, p) -> Report | None:
        try:
            return report_open(cluster=self.cluster(c), period=self.period(p))
        except ValidationError:
            return None  # no scorecard at the end of that period

    def editable(self, report: Report) -> Report:
        if report.state == Report.State.APPROVED:
            return move(report, "reopen")
        if report.state == Report.State.SUBMITTED:
            return move(report, "return")
        return report

    # --- what users do ---------------------------------------------------------------------

    @rule(c=index, p=index, values=drawn)
    def approve(self, c, p, values):
        report = self.report(c, p)
        if report is None or report.state == Report.State.APPROVED:
            return
        report = self.editable(report)
        empty = report.measurements.filter(value=None, numerator=None).select_related("kpi")
        record(
            report,
            {m.kpi.code: KPIS[m.kpi.code][1](values[CODES.index(m.kpi.code)]) for m in empty},
        )
        move(report, "submit", "approve")

    @rule(p=index, values=drawn)
    def approve_every_cluster(self, p, values):
        """Every cluster's report of a period, values differing from cluster to cluster."""
        for c in range(4):
            self.approve(c, p, [(v + 5 * c) % 13 for v in values])

    @rule(c=index, p=index)
    def reopen(self, c, p):
        report = Report.objects.filter(cluster=self.cluster(c), period=self.period(p)).first()
        if report and report.state == Report.State.APPROVED:
            move(report, "reopen")

    @rule(c=index, p=index, k=index, v=st.integers(0, 12))
    def edit_value(self, c, p, k, v):
        report = self.report(c, p)
        if report is None:
            return
        report = self.editable(report)
        kpi = self.pick(
            report.measurements.order_by("kpi__code").values_list("kpi__code", flat=True), k
        )
        record(report, {kpi: KPIS[kpi][1](v)})

    @rule(c=index, p=index, k=index)
    def empty_value(self, c, p, k):
        report = self.report(c, p)
        if report is None:
            return
        report = self.editable(report)
        kpi = self.pick(
            report.measurements.order_by("kpi__code").values_list("kpi__code", flat=True), k
        )
        record(report, {kpi: EMPTY})

    @rule(c=index, country=index)
    def move_cluster(self, c, country):
        destination = self.pick(
            Country.objects.filter(code__in=["XA", "XB", "XC"]).order_by("code"), country
        )
        cluster_update(cluster=self.cluster(c), data={"country": destination}, fields=["country"])

    @rule(c=index)
    def switch_status(self, c):
        cluster = self.cluster(c)
        status = "inactive" if cluster.status == "active" else "active"
        cluster_update(cluster=cluster, data={"status": status}, fields=["status"])

    @rule(
        c=index,
        program=index,
        span=st.sampled_from(["none", "always", "from-q2", "until-q1", "twice"]),
    )
    def change_enrolment(self, c, program, span):
        cluster = self.cluster(c)
        program = self.pick(Program.objects.filter(code__startswith="o-").order_by("code"), program)
        Enrolment.objects.filter(cluster=cluster, program=program).delete()
        spans = {
            "none": [],
            "always": [(datetime.date(2020, 1, 1), None)],
            "from-q2": [(datetime.date(2025, 4, 1), None)],
            "until-q1": [(datetime.date(2020, 1, 1), datetime.date(2025, 3, 31))],
            # left in January, back in March: enrolled twice during Q1 and the year
            "twice": [
                (datetime.date(2020, 1, 1), datetime.date(2025, 1, 31)),
                (datetime.date(2025, 3, 1), None),
            ],
        }
        for since, until in spans[span]:
            Enrolment.objects.create(
                program=program, cluster=cluster, enrolled_from=since, enrolled_until=until
            )
        mark_stale(reason="enrolments changed")  # as the program admin does on saving them

    @rule(
        code=st.sampled_from(["o-members", "o-score"]),
        level=st.sampled_from(["cluster", "country", "region", "program", "global"]),
        unit=index,
        p=index,
        v=st.integers(0, 40),
    )
    def set_target(self, code, level, unit, p, v):
        units = {
            Level.CLUSTER: Cluster.objects.filter(code__startswith="o-"),
            Level.COUNTRY: Country.objects.filter(code__in=["XA", "XB", "XC"]),
            Level.REGION: Region.objects.filter(code__in=["r-ab", "r-bc", "r-a"]),
            Level.PROGRAM: Program.objects.filter(code__startswith="o-"),
        }
        chosen = self.pick(units[level].order_by("pk"), unit) if level in units else None
        target_set(
            kpi=KPI.objects.get(code=code),
            period=self.period(p),
            level=level,
            unit=chosen,
            value=v,
            user=self.admin,
        )

    @rule()
    def add_period(self):
        existing = set(Period.objects.values_list("year", "quarter"))
        new = [yq for yq in NEXT_PERIODS if yq not in existing][:1]
        for year, quarter in new:
            added = [make_period(year, quarter)]
            if (year, 0) not in existing:
                added.append(make_period(year, 0))
            # Creating periods writes no stale marker (scorecards.services.periods_generate
            # neither), so their empty rows (clusters expected, none reporting) would wait
            # for the nightly full recompute; the marker a period's creation should write:
            mark_stale(period_ids=[p.pk for p in added], reason="period added")

    # --- what must hold ---------------------------------------------------------------------

    @invariant()
    def rollups_match_a_full_recompute_and_the_reference(self):
        process_stale()
        incremental = stored_rows()
        incremental_splits = stored_split_rows()
        assert {key[0] for key in incremental} <= set(self.kpi_ids)
        for kpi_id in self.kpi_ids:
            recompute_kpi(kpi_id=kpi_id)
        full = stored_rows()
        # (a) incremental == full recompute (the same SQL: equal to 4 places)
        assert incremental == full
        # (b) == the reference (which reads the splits on the way, for (d))
        reference_splits = {}
        assert differences(incremental, reference_rows(self.kpi_ids, splits=reference_splits)) == []
        # (d) the splits: incremental == full recompute == the reference
        assert incremental_splits == stored_split_rows()
        assert split_differences(incremental_splits, reference_splits) == []
        # (c) every row stands for a unit with an expected or a reporting cluster
        for row in Rollup.objects.all():
            assert row.clusters_expected >= max(1, row.clusters_reporting)
        existing = {
            "cluster": set(Cluster.objects.values_list("pk", flat=True)),
            "country": set(Country.objects.values_list("pk", flat=True)),
            "region": set(Region.objects.values_list("pk", flat=True)),
            "program": set(Program.objects.values_list("pk", flat=True)),
            "global": {0},
        }
        assert all(unit in existing[level] for _k, _p, level, unit in incremental)


@pytest.fixture
def hypothesis_home(tmp_path):
    """Hypothesis keeps no example database here (database=None below), and its other caches
    go to a temporary directory: nothing is written into the repository."""
    set_hypothesis_home_dir(tmp_path)
    yield
    set_hypothesis_home_dir(None)


@pytest.mark.django_db
@pytest.mark.parametrize("group_size", [groups.GROUP_SIZE, 1])
def test_incremental_rollups_equal_a_full_recompute_and_the_reference(
    hypothesis_home, monkeypatch, group_size
):
    # with groups of one cluster, alike clusters fall in groups apart and are summed apart
    monkeypatch.setattr(groups, "GROUP_SIZE", group_size)
    run_state_machine_as_test(
        RollupMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
