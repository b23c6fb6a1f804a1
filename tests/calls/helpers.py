"""A call of the world's program with two evaluators and three criteria weighted 50/30/20."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Role, User
from bsos.models import ClusterSupport
from calls import services
from calls.models import Call
from tests.factories import ClusterFactory, ClusterSupportFactory, UserFactory


def build_call(world, *, publish: bool = True) -> SimpleNamespace:
    world.program.countries.add(world.argentina)
    first = world.users["program_officer"]
    second = User.objects.filter(username="officer2").first() or UserFactory(
        username="officer2", role=Role.PROGRAM_OFFICER, programs=[world.program]
    )
    call = services.call_create(
        data={
            "program": world.program,
            "title": "Cluster initiatives 2026",
            "text": "Matching grants for cluster initiatives.",
            "deadline": timezone.now() + datetime.timedelta(days=30),
            "budget": Decimal("500000"),
            "scale_max": 5,
            "min_firms": 10,
            "local_institution_required": True,
            "min_cofinancing": Decimal("0.20"),
            "evaluators": [first, second],
        },
        criteria=[
            {"name": "Quality of the plan", "weight": 50},
            {"name": "Firms engaged", "weight": 30},
            {"name": "Local institutions", "weight": 20},
        ],
    )
    if publish:
        call = services.call_transition(call=call, to=Call.State.PUBLISHED)
    return SimpleNamespace(
        call=call, evaluators=[first, second], criteria=list(call.criteria.all())
    )


def supported_cluster(world, name: str):
    """An active Argentine cluster the world's BSO leads, enrolled in no program."""
    cluster = ClusterFactory(name=name, country=world.argentina)
    ClusterSupportFactory(bso=world.bso, cluster=cluster, role=ClusterSupport.Role.LEAD)
    return cluster


def eligible(**extra) -> dict:
    return {
        "declared_firms": 25,
        "local_institutions": "Universidad Nacional de Cuyo",
        "cofinancing": Decimal("0.30"),
        "answers": "We will export together.",
        **extra,
    }


def new_initiative(world, name: str) -> dict:
    return eligible(
        new_cluster_name=name,
        new_cluster_country=world.argentina,
        new_cluster_sector="olive oil",
        new_cluster_sector_family="natural_resource",
        new_cluster_type="italianate",
        new_cluster_origin="bottom_up_private",
    )


def score(application, evaluator, criteria, values):
    services.declare_no_conflict(application=application, user=evaluator)
    services.scores_save(
        application=application,
        user=evaluator,
        scores={c.pk: (v, "Reasoned.") for c, v in zip(criteria, values, strict=True)},
    )
