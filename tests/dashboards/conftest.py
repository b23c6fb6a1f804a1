"""The dashboards' world: three clusters on the Thai Food scorecard with approved 2025-Q1
reports rolled up by the real engine.

- `inside` and `third` in Argentina (Southern Cone and Latin America), `outside` in Ecuador
  (Latin America only); `inside` and `third` are enrolled in the officer's program.
- Q1: thai-returns (a ratio, lower is better) is 4/6 for inside, 2/4 for third, 1/5 for
  outside; thai-lean (a count, summed) is 5, 7 and 9; every other KPI gets a filler value.
"""

import datetime

import pytest

from monitoring.rollups.staleness import process_stale
from scorecards.models import KPI, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import enrol, periods, report_with

START = datetime.date(2024, 1, 1)


def kpi(code: str) -> KPI:
    return KPI.objects.get(code=code)


@pytest.fixture
def dash(thai):
    template = Template.objects.get(code="thai-food", version=1)
    thai.report.delete()
    thai.third = ClusterFactory(
        code="cordoba-dairy",
        name="Córdoba dairy",
        country=thai.argentina,
        number_of_firms=14,
        women_led_firms=2,
        employment=700,
    )
    thai.inside.number_of_firms, thai.inside.employment, thai.inside.women_led_firms = 10, 0, 0
    thai.inside.save(update_fields=["number_of_firms", "employment", "women_led_firms"])
    for cluster in (thai.outside, thai.third):
        scorecard_adopt(cluster=cluster, template=template, on=START)
    enrol(thai.third, thai.program)
    thai.template = template
    thai.p = periods(2025)
    q1 = thai.p["q1"]
    report_with(thai.inside, q1, {"thai-returns": (4, 6), "thai-lean": 5})
    report_with(thai.third, q1, {"thai-returns": (2, 4), "thai-lean": 7})
    report_with(thai.outside, q1, {"thai-returns": (1, 5), "thai-lean": 9})
    process_stale()
    return thai
