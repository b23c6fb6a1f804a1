"""Screenshots of a failed browser test, kept as test artefacts: a test's pages are registered
on its item (`keep_on_failure`; the first-hour tests' `open_page` fixture does it), and when the
test's call fails, the hook below saves each page still open to test-artifacts/e2e/ (ignored by
git; CI keeps the folder) and names the files in the failure's report."""

import re
from pathlib import Path

import pytest

ARTIFACTS = Path("test-artifacts") / "e2e"
PAGES = pytest.StashKey[list]()


def keep_on_failure(item: pytest.Item, page) -> None:
    """Screenshot `page` if `item` (request.node) fails while the page is open."""
    item.stash.setdefault(PAGES, []).append(page)


def artefact_name(item: pytest.Item) -> str:
    """The test's node id as a file name: test_first_hour.py::test_bso[phone] ->
    test_first_hour-test_bso-phone."""
    path, _, name = item.nodeid.rpartition("::")
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{Path(path).stem}-{name}").strip("-")


def save_screenshots(item: pytest.Item, directory: Path) -> list[Path]:
    """A full-page screenshot of each page the failed test kept open, in `directory`."""
    saved = []
    for number, page in enumerate(item.stash.get(PAGES, []), start=1):
        if page.is_closed():
            continue
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{artefact_name(item)}-{number}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a failed screenshot must not hide the test's own failure
            item.add_report_section("call", "screenshot", f"page {number}: {error}")
            continue
        saved.append(path)
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # The call's report is made before the test's fixtures are torn down: its pages are open.
    report = yield
    if report.when == "call" and report.failed:
        saved = save_screenshots(item, item.config.rootpath / ARTIFACTS)
        if saved:
            report.sections.append(("screenshots", "\n".join(str(path) for path in saved)))
    return report
