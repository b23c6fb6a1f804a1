"""A published case study of `inside` and a published visit of `inside` to `outside`, for
tests that open every page (tests/core/test_form_descriptions.py)."""

import datetime

from public.exchange.models import CaseStudy, ExchangeVisit


def published_exchange(world) -> tuple[CaseStudy, ExchangeVisit]:
    case_study = CaseStudy.objects.create(
        cluster=world.inside,
        title="A common brand",
        summary="One name abroad.",
        body="The committee chose a consortium.",
        sector_family="natural_resource",
        published=True,
    )
    visit = ExchangeVisit.objects.create(
        visitor=world.inside,
        host=world.outside,
        starts_on=datetime.date(2025, 5, 12),
        ends_on=datetime.date(2025, 5, 12),
        purpose="Learn how a fair is run.",
        women=1,
        men=1,
        published=True,
    )
    return case_study, visit
