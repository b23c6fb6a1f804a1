"""A program with money and two enrolled clusters, one of which published its results.

- `world.program` ("ar-clusters", reporting org XM-DAC-46012): USD, approved 2023-01-15,
  closing 2027-12-31, total 200, funder 100, one disbursement of 50 on 2024-02-01 (REQ-7).
- `inside` (Mendoza wine) publishes by its committee's decision and keeps `hidden-kpi`
  unpublished; Q1 2025 approved: trained 12 (women 7, men 5), exports 35, hidden 4242;
  Q2 2025 a draft: trained 633 (women 300, men 333). Baseline trained 3 (2024); targets for
  Q1: 20 for the cluster, 50 for the program.
- `san_juan` (Argentina, enrolled too) never published: Q1 approved, trained 999.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from clusters.models import Decision
from monitoring.rollups.staleness import process_stale
from programs.models import Disbursement, Program
from public.services import publication_set
from scorecards.models import KPI, Baseline, Level, Target
from scorecards.services import periods_generate, scorecard_adopt
from tests.factories import ClusterFactory, EnrolmentFactory
from tests.monitoring.rollup_reference import core_kpi, periods, report_with, template_with

D = Decimal


@pytest.fixture
def published(world):
    periods_generate(first_year=2025, last_year=2025)
    trained = core_kpi("firms-trained", name="People trained by the cluster", by_sex=True)
    exports = core_kpi(
        "export-lead-time",
        name="Days to clear an export",
        unit=KPI.Unit.NUMBER,
        aggregation=KPI.Aggregation.MEAN,
        time_aggregation=KPI.TimeAggregation.MEAN,
        direction=KPI.Direction.LOWER,
        results_level=KPI.ResultsLevel.OUTCOME,
    )
    hidden = core_kpi("hidden-kpi", name="Secret margin of the cluster")
    template = template_with("iati-card", [trained, exports, hidden])
    san_juan = ClusterFactory(
        code="san-juan-olives", name="San Juan olives", country=world.argentina
    )
    EnrolmentFactory(program=world.program, cluster=san_juan)
    for cluster in (world.inside, san_juan):
        scorecard_adopt(cluster=cluster, template=template, on=datetime.date(2024, 1, 1))
    Program.objects.filter(pk=world.program.pk).update(
        name="Argentina clusters",
        funder="IDB",
        executing_agency="Ministerio de Desarrollo Productivo",
        status=Program.Status.IN_EXECUTION,
        approval_date=datetime.date(2023, 1, 15),
        closing_date=datetime.date(2027, 12, 31),
        currency="USD",
        total_amount=D("200"),
        funder_amount=D("100"),
        reporting_org_ref="XM-DAC-46012",
    )
    world.program.refresh_from_db()
    world.program.countries.set([world.argentina])
    Disbursement.objects.create(
        program=world.program, amount=D("50"), date=datetime.date(2024, 2, 1), reference="REQ-7"
    )
    year = periods(2025)
    trained_q1 = {"value_women": "7", "value_men": "5"}
    report_with(world.inside, year["q1"], {trained: trained_q1, exports: 35, hidden: 4242})
    report_with(
        world.inside,
        year["q2"],
        {trained: {"value_women": "300", "value_men": "333"}},
        state="draft",
    )
    report_with(san_juan, year["q1"], {trained: 999})
    Baseline.objects.create(cluster=world.inside, kpi=trained, year=2024, value=D("3"))
    Target.objects.create(
        kpi=trained, period=year["q1"], level=Level.CLUSTER, cluster=world.inside, value=D("20")
    )
    Target.objects.create(
        kpi=trained, period=year["q1"], level=Level.PROGRAM, program=world.program, value=D("50")
    )
    process_stale()  # the worker's turn: the rollups, cluster rows included
    decision = Decision.objects.create(
        meeting=world.committees["inside"].meeting, text="We publish our results."
    )
    publication_set(
        cluster=world.inside,
        published=True,
        decision=decision,
        withheld_kpis=[hidden],
        by=world.users["bso_staff"],
    )
    return SimpleNamespace(
        world=world,
        san_juan=san_juan,
        trained=trained,
        exports=exports,
        hidden=hidden,
        decision=decision,
        periods=year,
    )


@pytest.fixture
def national(published):
    """`published`, plus two more published clusters in Argentina, both enrolled in the program,
    so that three published clusters report Q1 2025 (the rollups recomputed):

    - trained (sum): Mendoza 12 + Córdoba 20 + Rosario 30 = 62 published; San Juan's 999 is
      not published (counted: 1 other cluster reported), so never 1061;
    - export lead time (mean): (35 + 25 + 45) / 3 = 35;
    - hidden-kpi: Mendoza withholds it, so only Córdoba and Rosario publish it: 2 < 3, the
      national, regional and program values are not shown.
    Argentina's national page is published by its ministry; no region's page is.
    """
    from monitoring.rollups.engine import recompute
    from public.areas.services import area_publication_set
    from tests.factories import MeetingFactory, SteeringCommitteeFactory

    world = published.world
    template = published.world.inside.scorecards.first().template
    year = published.periods
    extra = {}
    for code, name, trained, lead in (
        ("cordoba-software", "Córdoba software", ("10", "10"), 25),
        ("rosario-biotech", "Rosario biotech", ("15", "15"), 45),
    ):
        cluster = ClusterFactory(code=code, name=name, country=world.argentina)
        EnrolmentFactory(program=world.program, cluster=cluster)
        scorecard_adopt(cluster=cluster, template=template, on=datetime.date(2024, 1, 1))
        report_with(
            cluster,
            year["q1"],
            {
                published.trained: {"value_women": trained[0], "value_men": trained[1]},
                published.exports: lead,
            },
        )
        committee = SteeringCommitteeFactory(cluster=cluster)
        meeting = MeetingFactory(committee=committee, held_on=datetime.date(2025, 4, 1))
        decision = Decision.objects.create(meeting=meeting, text="Publish.")
        publication_set(
            cluster=cluster,
            published=True,
            decision=decision,
            withheld_kpis=[],
            by=world.users["bso_staff"],
        )
        extra[code] = cluster
    recompute()
    area_publication_set(country=world.argentina, published=True, by=world.users["ministry"])
    published.cordoba = extra["cordoba-software"]
    published.rosario = extra["rosario-biotech"]
    return published
