"""The demo's surveys: the shipped questionnaires, a self-assessment round of three clusters
(the peer mean shows) and a training round of Mendoza wine."""

from accounts.models import User
from surveys.models import Response, Round, Survey
from surveys.selectors import dimension_scores


def test_the_demo_holds_the_shipped_surveys_and_two_answered_rounds(seeded):
    assert set(Survey.objects.values_list("code", flat=True)) >= {
        "cluster-self-assessment",
        "training-participants",
    }
    assert set(Round.objects.values_list("title", flat=True)) == {
        "Self-assessment 2026",
        "Mendoza wine training 2026",
    }
    assert Response.objects.count() == 9


def test_the_demo_self_assessment_shows_the_peer_mean(seeded):
    survey = Survey.objects.get(code="cluster-self-assessment")
    _columns, rows = dimension_scores(survey, User.objects.get(username="admin"))

    peer = rows[-1]
    assert peer.respondents == 3 and not peer.hidden
    # governance: Mendoza (5 + 4) / 2 = 4.5, Córdoba 4, Rafaela 3 -> (4.5 + 4 + 3) / 3 = 3.83
    assert str(peer.values[0]) == "3.83"
