"""With a read replica, the dashboards read the domain's tables on it (core.routers); sessions
and users, every other page, and every write stay on the primary. In tests the "replica" alias
mirrors the test database (config/settings/test.py)."""

import environ
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.settings.database import replica_database
from core.cache import cached
from core.routers import replica_in_use, replica_reads
from tests.world import build_world

both = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


def tables_read(captured) -> str:
    return " ".join(query["sql"] for query in captured.captured_queries)


def country_page(client, settings, *, replica: bool):
    world = build_world()
    settings.READ_REPLICA = replica
    client.force_login(world.users["ministry"])
    url = reverse("dashboard-country", args=[world.inside.country_id])
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return tables_read(on_replica), tables_read(on_primary)


@both
def test_a_dashboard_reads_the_domain_on_the_replica_and_the_session_on_the_primary(
    client, settings
):
    on_replica, on_primary = country_page(client, settings, replica=True)
    assert '"clusters_country"' in on_replica
    assert "django_session" not in on_replica and "accounts_user" not in on_replica
    assert "django_session" in on_primary
    assert '"clusters_country"' not in on_primary


@both
def test_without_a_replica_everything_reads_the_primary(client, settings):
    on_replica, on_primary = country_page(client, settings, replica=False)
    assert on_replica == ""
    assert '"clusters_country"' in on_primary


@both
def test_other_pages_read_the_primary(client, settings):
    world = build_world()
    settings.READ_REPLICA = True
    client.force_login(world.users["bso_staff"])
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("cluster-network", args=[world.inside.pk]))
    assert response.status_code == 200
    assert on_replica.captured_queries == []


@both
def test_reads_inside_a_transaction_and_writes_go_to_the_primary(settings):
    from django.db import transaction

    from clusters.models import Country

    settings.READ_REPLICA = True
    seen = {}

    @replica_reads
    def view():
        seen["outside"] = replica_in_use()
        with transaction.atomic():
            seen["inside"] = replica_in_use()
            Country.objects.create(code="UY", name="Uruguay")
        return Country.objects.db_manager().all().db

    assert view() == "replica"
    assert seen == {"outside": True, "inside": False}


@both
def test_the_benchmarking_ranking_runs_on_the_replica(settings):
    """Raw SQL is not routed by Django: monitoring.rollups.benchmark asks the router where the
    cluster rows are read. (No rows are needed: the test is where the statement runs.)"""
    from monitoring.rollups.benchmark import peer_groups
    from scorecards.models import KPI, Period

    world = build_world()
    settings.READ_REPLICA = True
    kpi, period = KPI(pk=1, direction=KPI.Direction.HIGHER), Period(pk=1)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        replica_reads(peer_groups)(
            world.users["ministry"], kpi=kpi, period=period, grouping="sector"
        )
    assert "ROW_NUMBER()" in tables_read(on_replica)
    assert "ROW_NUMBER()" not in tables_read(on_primary)


@both
def test_a_result_computed_from_the_replica_is_kept_only_briefly(settings, monkeypatch):
    from core import cache as result_cache

    settings.READ_REPLICA = True
    settings.REPLICA_RESULT_SECONDS = 7
    kept = {}
    real_set = result_cache.cache.set

    def spy(key, value, timeout=None):
        kept[key] = timeout
        return real_set(key, value, timeout)

    monkeypatch.setattr(result_cache.cache, "set", spy)
    replica_reads(lambda: cached(["replica-briefly"], lambda: 1))()
    cached(["primary-long"], lambda: 2)
    assert sorted(kept.values()) == [7, settings.RESULT_CACHE_SECONDS]


def test_the_replica_comes_from_the_environment(monkeypatch):
    default = {"ENGINE": "django.db.backends.postgresql", "NAME": "cb", "OPTIONS": {"a": 1}}
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert replica_database(env=environ.Env(), default=default) is None
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example.org:5432/cb")
    replica = replica_database(env=environ.Env(), default=default)
    assert replica["HOST"] == "replica.example.org"
    assert replica["USER"] == "reader"
    assert replica["OPTIONS"] == {"a": 1}
    assert replica["TEST"] == {"MIRROR": "default"}
