"""The knowledge exchange's world: tests.world plus two topics, a published and an unpublished
case study of `inside` (Argentina), an unpublished one of `outside` (Ecuador), and a visit of
`inside` to `outside` (published) on 2025-05-12."""

import datetime
from types import SimpleNamespace

import pytest

from public.exchange.models import CaseStudy, ExchangeVisit, Topic


@pytest.fixture
def exchange(world):
    export = Topic.objects.create(code="export", name="Export")
    governance = Topic.objects.create(code="governance", name="Governance")
    shown = CaseStudy.objects.create(
        cluster=world.inside,
        title="A common brand for Mendoza wine",
        summary="How forty wineries sold abroad under one name.",
        body="The committee chose a consortium.",
        sector_family="natural_resource",
        published=True,
    )
    shown.topics.set([export])
    draft = CaseStudy.objects.create(
        cluster=world.inside,
        title="Secret draft about barrels",
        summary="Not yet.",
        body="Unpublished text.",
        sector_family="natural_resource",
    )
    foreign = CaseStudy.objects.create(
        cluster=world.outside,
        title="Atuntaqui fair",
        summary="A fair.",
        body="Garments.",
        sector_family="traditional",
    )
    visit = ExchangeVisit.objects.create(
        visitor=world.inside,
        host=world.outside,
        starts_on=datetime.date(2025, 5, 12),
        ends_on=datetime.date(2025, 5, 14),
        purpose="See how a garment cluster runs its fair.",
        women=3,
        men=2,
        learnt="Shared stands cut costs.",
        published=True,
    )
    return SimpleNamespace(
        world=world,
        export=export,
        governance=governance,
        shown=shown,
        draft=draft,
        foreign=foreign,
        visit=visit,
    )
