"""Calls for proposals worked by hand: eligibility, hidden scores, the ranking and its tie rule,
and a selection that enrols (creating the cluster when the initiative is new)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calls import services
from calls.models import Application, Call
from clusters.models import Cluster
from programs.models import Enrolment
from tests.calls.helpers import build_call, eligible, new_initiative, score, supported_cluster
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    return build_call(world)


def submitted(world, setup, data):
    application = services.application_create(
        call=setup.call, data=data, user=world.users["bso_staff"]
    )
    return services.application_submit(application=application)


def refusal(world, setup, **data):
    application = services.application_create(
        call=setup.call, data=eligible(**data), user=world.users["bso_staff"]
    )
    with pytest.raises(ValidationError) as caught:
        services.application_submit(application=application)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    return caught.value.messages


def test_publishing_needs_weights_adding_to_100(world):
    setup = build_call(world, publish=False)
    services.call_update(call=setup.call, data={}, criteria=[{"name": "Only", "weight": 60}])
    with pytest.raises(ValidationError, match="add up to 60"):
        services.call_transition(call=setup.call, to=Call.State.PUBLISHED)


def test_too_few_firms_declared(world, setup):
    messages = refusal(world, setup, cluster=supported_cluster(world, "Maipú"), declared_firms=9)
    assert messages == ["Too few firms: 9 declared, the call asks for at least 10."]


def test_firms_are_counted_in_the_registry_where_the_cluster_is_in_it(world, setup):
    cluster = supported_cluster(world, "Maipú")
    for _ in range(3):
        MembershipFactory(cluster=cluster)
    messages = refusal(world, setup, cluster=cluster, declared_firms=40)
    assert messages == [
        "Too few firms: 3 counted in the firm registry, the call asks for at least 10."
    ]


def test_no_local_institution(world, setup):
    messages = refusal(
        world, setup, cluster=supported_cluster(world, "Maipú"), local_institutions=" "
    )
    assert messages == ["No local institution takes part: the call asks for at least one."]


def test_co_financing_too_low(world, setup):
    messages = refusal(
        world, setup, cluster=supported_cluster(world, "Maipú"), cofinancing=Decimal("0.15")
    )
    assert messages == ["Co-financing too low: 15.00% offered, the call asks for at least 20.00%."]


def test_every_broken_rule_is_named(world, setup):
    messages = refusal(
        world,
        setup,
        cluster=supported_cluster(world, "Maipú"),
        declared_firms=2,
        local_institutions="",
        cofinancing=Decimal("0"),
    )
    assert len(messages) == 3


def test_bso_staff_apply_only_for_a_cluster_their_bso_supports(world, setup):
    with pytest.raises(ValidationError, match="your BSO supports"):
        services.application_create(
            call=setup.call, data=eligible(cluster=world.outside), user=world.users["bso_staff"]
        )
    with pytest.raises(PermissionDenied):
        services.application_create(
            call=setup.call, data=eligible(cluster=world.inside), user=world.users["ministry"]
        )


def test_scores_are_hidden_until_every_evaluator_has_scored(world, setup):
    application = submitted(world, setup, eligible(cluster=supported_cluster(world, "Maipú")))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    first, second = setup.evaluators
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.scores_save(application=application, user=first, scores={})
    score(application, first, setup.criteria, [5, 3, 2])
    assert len(services.visible_scores(application=application, user=first)) == 3
    assert services.visible_scores(application=application, user=second) == []
    score(application, second, setup.criteria, [4, 4, 4])
    assert len(services.visible_scores(application=application, user=first)) == 6
    assert len(services.visible_scores(application=application, user=second)) == 6


def test_ranking_by_hand_with_a_tie_broken_on_the_heaviest_criterion(world, setup):
    """Scale 0-5, weights 50/30/20; a total is sum(score / 5 x weight).
    X: 5,3,2 -> 50+18+8 = 76 and 4,4,4 -> 40+24+16 = 80: mean 78, heaviest 4.5
    Y: 4,5,5 -> 40+30+20 = 90 and 4,2,3.5 -> 40+12+14 = 66: mean 78, heaviest 4.0
    Z: 5,5,5 -> 100 and 4,4,4 -> 80: mean 90.
    Y was submitted before X, yet X ranks above it on the heaviest criterion."""
    y = submitted(world, setup, new_initiative(world, "Olive oil of San Juan"))
    x = submitted(world, setup, eligible(cluster=supported_cluster(world, "Maipú")))
    z = submitted(world, setup, eligible(cluster=supported_cluster(world, "Luján")))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    first, second = setup.evaluators
    for application, one, two in (
        (x, [5, 3, 2], [4, 4, 4]),
        (y, [4, 5, 5], [4, 2, Decimal("3.5")]),
        (z, [5, 5, 5], [4, 4, 4]),
    ):
        score(application, first, setup.criteria, one)
        score(application, second, setup.criteria, two)
    rows = services.ranking(setup.call)
    assert [(r.application, r.score, r.rank) for r in rows] == [
        (z, Decimal("90.00"), 1),
        (x, Decimal("78.00"), 2),
        (y, Decimal("78.00"), 3),
    ]
    assert rows[1].heaviest == Decimal("4.50") and rows[2].heaviest == Decimal("4.00")
    assert rows[0].by_evaluator == {first.pk: Decimal("100.00"), second.pk: Decimal("80.00")}
    assert "heaviest criterion (Quality of the plan)" in rows[2].tie_note
    assert rows[0].tie_note == ""


def test_a_full_tie_goes_to_the_earlier_submission(world, setup):
    early = submitted(world, setup, eligible(cluster=supported_cluster(world, "Maipú")))
    late = submitted(world, setup, eligible(cluster=supported_cluster(world, "Luján")))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    for application in (late, early):
        for evaluator in setup.evaluators:
            score(application, evaluator, setup.criteria, [3, 3, 3])
    rows = services.ranking(setup.call)
    assert [r.application for r in rows] == [early, late]
    assert "submitted later" in rows[1].tie_note


def test_selecting_a_new_initiative_creates_and_enrols_the_cluster(world, setup):
    application = submitted(world, setup, new_initiative(world, "Olive oil of San Juan"))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    officer = world.users["program_officer"]
    with pytest.raises(ValidationError, match="score the application first"):
        services.application_select(application=application, reason="Best plan", user=officer)
    for evaluator in setup.evaluators:
        score(application, evaluator, setup.criteria, [4, 4, 4])
    with pytest.raises(ValidationError, match="reason"):
        services.application_select(application=application, reason=" ", user=officer)
    services.application_select(application=application, reason="Best plan", user=officer)
    application.refresh_from_db()
    cluster = Cluster.objects.get(name="Olive oil of San Juan")
    assert application.cluster == cluster and application.state == Application.State.SELECTED
    assert cluster.number_of_firms == 25 and cluster.supports.get().bso == world.bso
    assert Enrolment.objects.filter(program=world.program, cluster=cluster).exists()
    services.call_decide(call=setup.call)
    assert Call.objects.get(pk=setup.call.pk).state == Call.State.DECIDED


def test_deciding_marks_the_others_not_selected(world, setup):
    existing = supported_cluster(world, "Maipú")
    chosen = submitted(world, setup, eligible(cluster=existing))
    other = submitted(world, setup, eligible(cluster=supported_cluster(world, "Luján")))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    for application in (chosen, other):
        for evaluator in setup.evaluators:
            score(application, evaluator, setup.criteria, [4, 4, 4])
    services.application_select(
        application=chosen, reason="Ranked first", user=world.users["program_officer"]
    )
    services.call_decide(call=setup.call)
    other.refresh_from_db()
    assert other.state == Application.State.NOT_SELECTED
    assert Enrolment.objects.filter(program=world.program, cluster=existing).exists()


def test_a_non_evaluator_cannot_score(world, setup):
    application = submitted(world, setup, eligible(cluster=supported_cluster(world, "Maipú")))
    services.call_transition(call=setup.call, to=Call.State.CLOSED)
    with pytest.raises(PermissionDenied):
        services.declare_no_conflict(application=application, user=world.users["admin"])


def test_evaluators_are_officers_of_the_program(world):
    setup = build_call(world, publish=False)
    stranger = UserFactory(
        username="officer3", role="program_officer", programs=[world.other_program]
    )
    with pytest.raises(ValidationError, match="officers of the program"):
        services.call_update(call=setup.call, data={"evaluators": [stranger]})
