"""The cluster page's sustainability and governance signals, with hand-worked shares."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from clusters.models import ActionItem
from monitoring.activities.selectors import cluster_signals
from tests.factories import (
    ActionItemFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    MeetingFactory,
)
from tests.monitoring.activity_data import make_activity


def test_external_share_of_cost_is_computed_per_year(world):
    # 2023: program 80 + public 10 + credit 10 external, firms 0 -> 100 / 100 = 100%
    make_activity(world.inside, world.bso, date=datetime.date(2023, 5, 1), cost_program=80)
    make_activity(
        world.inside, world.bso, date=datetime.date(2023, 9, 1), cost_public=10, cost_credit=10
    )
    # 2024: program 60, firms 40 -> 60 / 100 = 60%
    make_activity(
        world.inside, world.bso, date=datetime.date(2024, 3, 1), cost_program=60, cost_firms=40
    )
    # 2025: program 25 + public 5, firms 70 -> 30 / 100 = 30%
    make_activity(
        world.inside,
        world.bso,
        date=datetime.date(2025, 1, 1),
        cost_program=25,
        cost_public=5,
        cost_firms=70,
    )
    make_activity(world.outside, world.other_bso, date=datetime.date(2025, 1, 1), cost_program=9)

    shares = cluster_signals(world.inside, today=datetime.date(2025, 6, 1))["cost_shares"]

    assert [(s.year, s.currency, s.external_percent) for s in shares] == [
        (2023, "USD", Decimal(100)),
        (2024, "USD", Decimal(60)),
        (2025, "USD", Decimal(30)),
    ]
    assert shares[2].firms == Decimal(70)


def test_a_year_without_cost_has_no_share(world):
    make_activity(world.inside, world.bso, date=datetime.date(2025, 1, 1))
    (share,) = cluster_signals(world.inside, today=datetime.date(2025, 6, 1))["cost_shares"]
    assert share.total == 0
    assert share.external_share is None


def test_committee_signals_count_composition_meetings_and_overdue_items(world):
    today = datetime.date(2025, 6, 30)
    committee = world.committees["inside"].committee  # one private woman already, one meeting
    CommitteeMemberFactory(committee=committee, stakeholder_type="public", sex="male")
    CommitteeMemberFactory(committee=committee, stakeholder_type="academia", sex="female")
    CommitteeMemberFactory(
        committee=committee, stakeholder_type="public", until=datetime.date(2024, 1, 1)
    )
    MeetingFactory(committee=committee, held_on=datetime.date(2024, 6, 30))  # 365 days: out
    MeetingFactory(committee=committee, held_on=datetime.date(2024, 12, 1))
    ActionItem.objects.filter(committee=committee).update(due_on=datetime.date(2025, 6, 1))
    ActionItemFactory(committee=committee, due_on=datetime.date(2025, 7, 1))
    ActionItemFactory(committee=committee, due_on=datetime.date(2025, 1, 1), status="done")

    signals = cluster_signals(world.inside, today=today)["committee"]

    # current members: private woman, public man, academic woman
    assert signals["members_total"] == 3
    assert (signals["members_public"], signals["members_private"], signals["members_other"]) == (
        1,
        1,
        1,
    )
    assert signals["members_women"] == 2
    assert signals["women_percent"].quantize(Decimal("0.01")) == Decimal("66.67")
    # meetings on 2025-03-01 and 2024-12-01; 2024-06-30 is a year and a day before
    assert signals["meetings_last_year"] == 2
    # open: the fixture's item (due 2025-06-01, overdue) and the new one (due 2025-07-01)
    assert (signals["items_open"], signals["items_overdue"]) == (2, 1)


def test_a_cluster_without_committee_has_no_committee_signals(world):
    world.committees["inside"].committee.delete()
    signals = cluster_signals(world.inside, today=datetime.date(2025, 1, 1))
    assert signals == {"cost_shares": [], "committee": None}


def test_the_cluster_page_shows_the_signals_in_scope_only(world, client):
    make_activity(
        world.inside, world.bso, date=datetime.date(2024, 3, 1), cost_program=60, cost_firms=40
    )
    url = reverse("cluster-detail", args=[world.inside.pk])

    client.force_login(world.users["ministry"])
    page = client.get(url).content.decode()
    assert "Sustainability and governance" in page
    assert 'data-stat="external-share">60%' in page

    client.force_login(world.users["bso_staff"])
    other = client.get(reverse("cluster-detail", args=[world.outside.pk])).content.decode()
    assert "Sustainability and governance" not in other


def test_the_cluster_page_with_activities_runs_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    # Given 30 activities over 6 years, 30 partner BSOs, 30 members and 30 action items.
    committee = world.committees["inside"].committee
    for n in range(30):
        make_activity(
            world.inside, world.bso, date=datetime.date(2020 + n % 6, 1, 1), cost_program=n
        )
        ClusterSupportFactory(cluster=world.inside)
        member = CommitteeMemberFactory(committee=committee)
        ActionItemFactory(committee=committee, owner=member)
    client.force_login(world.users["bso_staff"])

    with django_assert_max_num_queries(10):
        response = client.get(reverse("cluster-detail", args=[world.inside.pk]))

    assert response.content.decode().count("<tr data-year=") == 6


def _figure(html: str) -> str | None:
    found = re.search(r'<figure class="signals-chart">(.*?)</figure>', html, re.S)
    return found.group(1) if found else None


def test_the_cost_share_chart_is_drawn_alike_on_the_cluster_page_and_its_dashboard(world, client):
    # 2023: 80 of 100 external (80 %); 2024: 60 of 100 (60 %): a falling line of two points
    make_activity(
        world.inside, world.bso, date=datetime.date(2023, 3, 1), cost_program=80, cost_firms=20
    )
    make_activity(
        world.inside, world.bso, date=datetime.date(2024, 3, 1), cost_program=60, cost_firms=40
    )
    client.force_login(world.users["program_officer"])

    page = _figure(client.get(reverse("cluster-detail", args=[world.inside.pk])).content.decode())
    board = client.get(reverse("dashboard-cluster", args=[world.inside.pk])).content.decode()

    assert page is not None
    assert "Share of activity cost paid by external funds, per year (%)" in page
    assert page.count('class="chart-dot"') == 2
    assert _figure(board) == page


def test_no_cost_share_line_for_one_year_or_several_currencies(world, client):
    make_activity(world.inside, world.bso, date=datetime.date(2023, 3, 1), cost_program=80)
    client.force_login(world.users["program_officer"])
    urls = [
        reverse(name, args=[world.inside.pk]) for name in ("cluster-detail", "dashboard-cluster")
    ]
    assert [_figure(client.get(url).content.decode()) for url in urls] == [None, None]

    make_activity(
        world.inside, world.bso, date=datetime.date(2024, 3, 1), cost_program=5, currency="EUR"
    )
    assert [_figure(client.get(url).content.decode()) for url in urls] == [None, None]
