"""Loads the demo world into the database, idempotently, by natural keys: one module per
sub-domain, run here in the order their rows depend on each other; demo.seed.rows says how a
row is written (a second run writes nothing)."""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.seed.activities import seed_activities
from demo.seed.bsos import seed_bsos
from demo.seed.clusters import seed_clusters, seed_geography
from demo.seed.committees import seed_committees
from demo.seed.exchange import seed_exchange
from demo.seed.firms import seed_firms
from demo.seed.plans import seed_plans
from demo.seed.programs import seed_programs
from demo.seed.publications import seed_publications
from demo.seed.rows import SeedReport
from demo.seed.scorecards import seed_scorecards
from demo.seed.surveys import seed_surveys
from demo.seed.users import seed_users

__all__ = ["SeedReport", "seed_demo"]


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> SeedReport:
    """Create or refresh the demo world and the demo users; return what was written."""
    today = today or timezone.localdate()
    report = SeedReport()
    countries = seed_geography(report)
    clusters = seed_clusters(report, countries)
    bsos = seed_bsos(report, countries, clusters)
    seed_firms(report, countries, clusters, bsos)
    programs = seed_programs(report, clusters=clusters, countries=countries)
    seed_committees(report, clusters, today)
    seed_publications(report, clusters)
    seed_exchange(report, clusters)
    seed_users(report, bsos=bsos, programs=programs, countries=countries)
    seed_scorecards(report, today=today)
    seed_activities(report, today=today)
    seed_plans(report)
    seed_surveys(report)
    return report
