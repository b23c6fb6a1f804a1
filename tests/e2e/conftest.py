"""Browser tests: shared fixtures and clean-up."""

import pytest
from django.db import connection

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
