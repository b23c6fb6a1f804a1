"""The collaboration network of a cluster from its joint activities: the page, the API, the
scope, and the number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.networks.selectors import Span, cluster_networks
from tests.factories import FirmFactory, MembershipFactory
from tests.monitoring.activity_data import make_activity

YEAR = Span("2025", "2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def firms(world):
    """Five member firms A..E of the cluster in scope; joint activities in 2025 tie A, B and C
    together (a trade fair) and D with E (joint purchasing); a workshop of D and A ties no one
    (not a joint action); one outside firm F joins a fair with E in 2024 only."""
    members = {
        name: MembershipFactory(
            cluster=world.inside, firm__name=f"Firm {name}", since=datetime.date(2024, 1, 1)
        ).firm
        for name in "ABCDE"
    }
    outsider = FirmFactory(name="Firm F", country=world.inside.country)
    fair = make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2025, 3, 1))
    fair.participant_firms.set([members["A"], members["B"], members["C"]])
    buying = make_activity(
        world.inside, world.bso, type="joint_purchasing", date=datetime.date(2025, 6, 1)
    )
    buying.participant_firms.set([members["D"], members["E"]])
    workshop = make_activity(
        world.inside, world.bso, type="workshop", date=datetime.date(2025, 7, 1)
    )
    workshop.participant_firms.set([members["D"], members["A"]])
    old = make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2024, 5, 1))
    old.participant_firms.set([members["E"], outsider])
    return members


def test_joint_activities_tie_their_firms_and_their_bso(world, firms):
    (row,) = cluster_networks(world.inside, [YEAR])
    figures = row.figures
    # Firms: A-B, A-C, B-C, D-E; the BSO with each of the five firms.
    assert figures.ties == 4 + 5
    assert figures.nodes == 6
    assert (figures.member_firms, figures.firms_with_tie) == (5, 5)
    assert str(figures.density) == "0.6000"  # 9 of 15


def test_a_span_sees_only_its_own_activities_and_members(world, firms):
    earlier = Span("2024", "2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    (row,) = cluster_networks(world.inside, [earlier])
    labels = {node.label for node in row.network.nodes.values()}
    assert "Firm F" in labels  # the outside firm of the 2024 fair
    assert row.figures.member_firms == 5
    assert row.figures.firms_with_tie == 1  # E only


def test_the_page_shows_figures_drawing_and_ties(client, world, firms):
    client.force_login(world.users["bso_staff"])
    response = client.get(reverse("cluster-network", args=[world.inside.pk]), {"span": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-network-drawing" in html
    assert html.count('<g class="network-node') == 6
    assert html.count('class="network-tie"') == 9
    assert "Firm A" in html and "joint activity" in html
    assert "http://" not in html.split('<svg class="network"')[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_fewer_than_three_firms_show_no_drawing(client, world):
    for name in "AB":
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {name}")
    client.force_login(world.users["bso_staff"])
    response = client.get(reverse("cluster-network", args=[world.inside.pk]))
    assert response.status_code == 200
    assert "data-no-drawing" in response.content.decode()
    assert "data-network-drawing" not in response.content.decode()


def test_a_cluster_outside_the_scope_and_an_unknown_span_answer_404(client, world, firms):
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("cluster-network", args=[world.outside.pk])).status_code == 404
    url = reverse("cluster-network", args=[world.inside.pk])
    assert client.get(url, {"span": "1999"}).status_code == 404


def test_the_page_reads_in_few_queries(client, world, firms, django_assert_max_num_queries):
    client.force_login(world.users["bso_staff"])
    client.get(reverse("cluster-network", args=[world.inside.pk]))  # warm the session
    for name in "GHIJ":  # more firms and ties must not mean more queries
        MembershipFactory(cluster=world.inside, firm__name=f"Firm {name}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cluster-network", args=[world.inside.pk]))
    assert response.status_code == 200


def test_the_api_gives_the_figures_nodes_and_ties(api_client, world, firms):
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.get(reverse("api:networks"), {"cluster": world.inside.pk, "span": "2025"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["figures"]["density"] == "0.6000"
    assert body["figures"]["share_with_tie_percent"] == "100.00"  # 5 of 5 member firms
    assert body["figures"]["centralisation"] is not None
    assert len(body["nodes"]) == 6
    assert len(body["ties"]) == 9
    assert {tuple(t["sources"]) for t in body["ties"]} == {("activity",)}
    this_year = timezone.localdate().year
    assert [s["span"]["key"] for s in body["spans"]] == [
        str(year) for year in range(2024, this_year + 1)
    ]  # from the first membership to this year


def test_the_api_answers_404_out_of_scope(api_client, world, firms):
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.get(reverse("api:networks"), {"cluster": world.outside.pk})
    assert response.status_code == 404
    bad = api_client.get(reverse("api:networks"), {"cluster": "x"})
    assert bad.status_code == 400
