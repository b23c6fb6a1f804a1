"""Browser tests: shared fixtures and clean-up."""

import pytest
from django.db import connection


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
