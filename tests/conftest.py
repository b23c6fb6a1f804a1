"""Fixtures shared by every test: a small world with one user per role and clear scopes."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.world import build_thai, build_world


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in Spanish leaves Spanish active in the test's thread (LocaleMiddleware
    activates the language and nothing deactivates it): every test starts in the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def world(db):
    """The small world of tests.world.build_world (read its docstring)."""
    return build_world()


@pytest.fixture
def thai(world):
    """The world, with `inside` on the Thai Food scorecard, the 2025 periods, and its Q1 report."""
    return build_thai(world)


@pytest.fixture(autouse=True)
def _empty_signin_counts(settings):
    """Failed sign-ins of one test never lock another out (config.settings.test gives the
    throttle a local-memory cache of its own)."""
    from django.core.cache import caches

    caches[settings.SIGNIN_CACHE].clear()
