"""A cluster on the Thai Food scorecard with its 2025 periods, and its Q1 report."""

import datetime

import pytest

from monitoring.services import report_open
from scorecards.models import Period, Template
from scorecards.services import periods_generate, scorecard_adopt


@pytest.fixture
def thai(world):
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.report = report_open(cluster=world.inside, period=world.q1)
    return world
