"""Without Chromium the browser tests skip and say why, unless the browser is required (CI)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.browser import missing_browser

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TEST = "tests/e2e/test_browser.py"


def test_a_present_browser_neither_skips_nor_fails(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)

    assert missing_browser(chromium_path=str(chromium), required=True) is None
    assert missing_browser(chromium_path=str(chromium), required=False) is None


def test_a_missing_browser_skips_the_browser_tests_unless_it_is_required(tmp_path):
    chromium = str(tmp_path / "chromium")

    skipped = missing_browser(chromium_path=chromium, required=False)
    failed = missing_browser(chromium_path=chromium, required=True)

    assert skipped.fail is False
    assert f"Chromium not found at {chromium}" in skipped.reason
    assert failed.fail is True
    assert f"Chromium not found at {chromium}" in failed.reason


def test_a_file_that_cannot_be_run_is_no_browser(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("not a program")
    chromium.chmod(0o644)

    assert missing_browser(chromium_path=str(chromium), required=True).fail is True


def run_a_browser_test(**env: str) -> subprocess.CompletedProcess:
    """One browser test in a pytest of its own, on an in-memory SQLite database (never the
    database or broker of the session that runs this)."""
    unset = {"DATABASE_URL", "REDIS_URL", "CHROMIUM_PATH", "REQUIRE_BROWSER", "PYTEST_ADDOPTS"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rsf",
            "--nomigrations",
            BROWSER_TEST,
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_pytest_reports_the_browser_tests_skipped_with_the_reason_without_chromium(tmp_path):
    chromium = str(tmp_path / "no-chromium-here")

    result = run_a_browser_test(CHROMIUM_PATH=chromium)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 skipped in ")
    assert f"SKIPPED [1] {BROWSER_TEST}" in result.stdout
    assert f"Chromium not found at {chromium}" in result.stdout


def test_where_the_browser_is_required_pytest_fails_the_browser_tests_without_it(tmp_path):
    chromium = str(tmp_path / "no-chromium-here")

    result = run_a_browser_test(CHROMIUM_PATH=chromium, REQUIRE_BROWSER="1")

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 failed in ")
    assert f"Chromium not found at {chromium} and REQUIRE_BROWSER is set" in result.stdout
