"""A failed browser test leaves a screenshot of its open pages in test-artifacts/e2e/: the hook
of tests/e2e/artifacts.py, which tests/e2e/conftest.py installs, run by an inner pytest on a
test that fails and one that passes (a stand-in page writes the file, so no browser is
needed)."""

import os
import subprocess
import sys
from pathlib import Path

import tests.e2e.conftest
from tests.e2e import artifacts

REPOSITORY = Path(__file__).resolve().parents[2]

CONFTEST = """
from tests.e2e.artifacts import pytest_runtest_makereport  # noqa: F401
"""

TESTS = '''
import pytest

from tests.e2e.artifacts import keep_on_failure


class Page:
    """What the hook uses of a Playwright page."""

    def __init__(self):
        self.closed = False

    def is_closed(self):
        return self.closed

    def screenshot(self, *, path, full_page):
        assert full_page
        with open(path, "wb") as image:
            image.write(b"\\x89PNG screenshot")


@pytest.fixture
def page(request):
    page = Page()
    keep_on_failure(request.node, page)
    yield page
    page.closed = True  # as a browser closed at the test's teardown


def test_that_fails(page):
    assert False, "the page shows the wrong thing"


def test_that_passes(page):
    assert True


@pytest.mark.parametrize("width", ["phone"])
def test_with_a_closed_page(page, width):
    page.closed = True
    assert False
'''


def test_the_browser_tests_conftest_installs_the_hook():
    assert tests.e2e.conftest.pytest_runtest_makereport is artifacts.pytest_runtest_makereport


def test_a_failed_test_leaves_a_screenshot_of_its_page_and_a_passed_one_none(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_inner.py").write_text(TESTS)
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-q",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "2 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    saved = sorted(p.name for p in (tmp_path / "test-artifacts" / "e2e").iterdir())
    assert saved == ["test_inner-test_that_fails-1.png"]
    image = tmp_path / "test-artifacts" / "e2e" / saved[0]
    assert image.read_bytes().startswith(b"\x89PNG")
    assert str(image) in run.stdout  # the failure's report names the file
