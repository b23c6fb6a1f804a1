"""The network's figures as KPI sources: derived for a period over its dates, pre-filled on the
report page and marked as such (monitoring.reports.derived)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.reports.derived import derived_values
from scorecards.models import KPI, Period
from scorecards.services import periods_generate
from tests.factories import MembershipFactory
from tests.monitoring.activity_data import make_activity

Source = KPI.LogSource


@pytest.fixture
def q1(db):
    periods_generate(first_year=2025, last_year=2025)
    return Period.objects.get(year=2025, quarter=1)


def four_firms_two_at_a_fair(world):
    """Four member firms; A and B at a trade fair run by the BSO in February 2025; a fair of C
    and D in May (the second quarter) does not count in the first."""
    firms = [MembershipFactory(cluster=world.inside, firm__name=n).firm for n in "ABCD"]
    fair = make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2025, 2, 1))
    fair.participant_firms.set(firms[:2])
    later = make_activity(
        world.inside, world.bso, type="trade_fair", date=datetime.date(2025, 5, 1)
    )
    later.participant_firms.set(firms[2:])
    return firms


def kpi(code, source, **fields):
    values = {"name": code, "unit": "percent", "aggregation": "mean", "time_aggregation": "last"}
    return KPI.objects.create(code=code, log_source=source, **{**values, **fields})


def test_share_of_firms_with_a_tie_and_density_over_the_period(world, q1):
    four_firms_two_at_a_fair(world)
    share = kpi("coop-share", Source.NETWORK_FIRMS_TIED)
    ratio = kpi("coop-ratio", Source.NETWORK_FIRMS_TIED, aggregation="ratio")
    density = kpi("density", Source.NETWORK_DENSITY)

    values = derived_values(world.inside, q1)

    # A and B tied (to each other and to the BSO): 2 of 4 member firms = 50%.
    assert values[share.pk] == {"value": Decimal("50.0000")}
    assert values[ratio.pk] == {"numerator": Decimal(2), "denominator": Decimal(4)}
    # Nodes: 4 firms + the BSO = 5, 10 possible ties; A-B, A-BSO, B-BSO = 3: 30%.
    assert values[density.pk] == {"value": Decimal("30.0000")}


def test_nothing_is_derived_without_member_firms(world, q1):
    share = kpi("coop-share", Source.NETWORK_FIRMS_TIED)
    assert share.pk not in derived_values(world.inside, q1)


def test_the_report_page_prefills_the_share_marked_as_from_the_network(thai, client):
    """A ratio KPI of the Thai scorecard takes firms with a tie over member firms: 2 / 4."""
    four_firms_two_at_a_fair(thai)
    KPI.objects.filter(code="thai-returns").update(log_source=Source.NETWORK_FIRMS_TIED)
    chosen = KPI.objects.get(code="thai-returns")
    client.force_login(thai.users["bso_staff"])

    page = client.get(reverse("report-detail", args=[thai.report.pk])).content.decode()

    assert "derived from the collaboration network" in page
    assert f'name="kpi-{chosen.pk}-numerator" value="2"' in page
    assert f'name="kpi-{chosen.pk}-denominator" value="4"' in page
