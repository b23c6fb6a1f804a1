"""A cluster with survey rounds asking who firms cooperate with: one network per round, from
its answers and the joint activities logged in its dates."""

import datetime

from django.urls import reverse

from monitoring.networks.selectors import cluster_networks, network_spans
from tests.monitoring.activity_data import make_activity
from tests.surveys.helpers import answer, firms_of, make_round, make_survey


def two_rounds(world):
    """Round 2025 (March): A names B and the BSO; B names A (the same tie); C names nobody.
    Round 2026 (March): A names B, B names C, C names A, D names nobody. A trade fair of C and
    D in March 2026 ties them too; one in 2024 is in neither round."""
    survey = make_survey()
    first = make_round(survey, world.inside, title="2025 round", starts=datetime.date(2025, 3, 1))
    second = make_round(survey, world.inside, title="2026 round", starts=datetime.date(2026, 3, 1))
    a, b, c, d = firms_of(world.inside, 4)
    answer(
        first,
        [
            (a, {"partners": f"firm_{b.pk} bso_{world.bso.pk}"}),
            (b, {"partners": f"firm_{a.pk}"}),
            (c, {"partners": "none"}),
        ],
    )
    answer(
        second,
        [
            (a, {"partners": f"firm_{b.pk}"}),
            (b, {"partners": f"firm_{c.pk}"}),
            (c, {"partners": f"firm_{a.pk}"}),
            (d, {"partners": "none"}),
        ],
    )
    fair = make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2026, 3, 9))
    fair.participant_firms.set([c, d])
    old = make_activity(world.inside, world.bso, type="trade_fair", date=datetime.date(2024, 3, 9))
    old.participant_firms.set([a, d])
    return first, second


def test_each_round_is_a_span_with_its_answers_and_activities(world):
    first, second = two_rounds(world)
    spans = network_spans(world.inside)
    assert [span.round_id for span in spans] == [first.pk, second.pk]

    early, late = cluster_networks(world.inside, spans)

    # 2025: A-B (named twice, one tie), A-BSO. Nodes: 4 member firms + the BSO = 5.
    assert (early.figures.ties, early.figures.nodes) == (2, 5)
    assert early.figures.firms_with_tie == 2  # A and B; C and D have none
    assert str(early.figures.density) == "0.2000"  # 2 of 10
    # 2026: A-B, B-C, C-A from answers; C-D, C-BSO, D-BSO from the fair. 6 ties, 5 nodes.
    assert (late.figures.ties, late.figures.nodes) == (6, 5)
    assert late.figures.firms_with_tie == 4
    assert str(late.figures.density) == "0.6000"
    sources = {frozenset(s) for s in late.network.ties.values()}
    assert sources == {frozenset({"survey"}), frozenset({"activity"})}


def test_the_page_compares_the_rounds(client, world):
    first, _second = two_rounds(world)
    client.force_login(world.users["bso_staff"])
    response = client.get(
        reverse("cluster-network", args=[world.inside.pk]), {"span": f"round-{first.pk}"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025 round" in html and "2026 round" in html
    assert "survey answer" in html


def test_the_api_takes_a_round(api_client, world):
    first, _second = two_rounds(world)
    api_client.force_authenticate(world.users["bso_staff"])
    response = api_client.get(
        reverse("api:networks"), {"cluster": world.inside.pk, "round": first.pk}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["span"]["round"] == first.pk
    assert body["figures"]["ties"] == 2
    other = api_client.get(
        reverse("api:networks"), {"cluster": world.outside.pk, "round": first.pk}
    )
    assert other.status_code == 404
    unknown = api_client.get(reverse("api:networks"), {"cluster": world.inside.pk, "round": 999999})
    assert unknown.status_code == 404
