"""Browser tests: shared fixtures and clean-up."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.db import connection

from monitoring.reports.services import report_open, report_record_values, report_transition
from monitoring.rollups.staleness import process_stale
from scorecards.builtin import load_builtin_templates
from scorecards.models import Period, Template
from scorecards.services import periods_generate, scorecard_adopt
from tests.e2e.artifacts import pytest_runtest_makereport  # noqa: F401 (screenshots on failure)
from tests.e2e.browser import CHROMIUM_PATH, REQUIRE_BROWSER, missing_browser


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are skipped, with the reason, before any fixture is
    set up; unless the browser is required (CI), where launch() fails them."""
    missing = missing_browser(chromium_path=CHROMIUM_PATH, required=REQUIRE_BROWSER)
    if missing is None or missing.fail:
        return
    skip = pytest.mark.skip(reason=missing.reason)
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an asyncio loop in the test's thread, so Django would refuse
    # ORM calls from the test (fixtures, teardown); Playwright's docs for Django recommend this.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_database_sessions(django_db_setup, django_db_blocker):
    """The live server answers the browser in threads, each with its own database session on
    PostgreSQL; a thread still parked on a keep-alive socket keeps its session, and the test
    database could not be dropped at the end. End those sessions before it is."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def rolled(world):
    """Mendoza's 2025-Q1 report (world.q1) approved and rolled up: every number 2, ratios 1/4,
    women 3 and men 2."""
    load_builtin_templates(django_apps)  # a live server's test flushes the data migrations' rows
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    world.q1 = Period.objects.get(year=2025, quarter=1)
    report = report_open(cluster=world.inside, period=world.q1)
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "4"}
        elif m.kpi.by_sex:
            rows[m.kpi_id] = {"value_women": "3", "value_men": "2"}
        else:
            rows[m.kpi_id] = {"value": "2"}
    report_record_values(report=report, rows=rows, user=world.users["bso_staff"])
    report_transition(report=report, action="submit", user=world.users["bso_staff"])
    report_transition(report=report, action="approve", user=world.users["admin"])
    process_stale()
    return world
