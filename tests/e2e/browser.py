"""What every browser test shares: Debian's Chromium, launched without network chatter, and
signing in through the login form."""

import os
from pathlib import Path

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password


def launch(playwright):
    """Debian's Chromium; a missing browser fails the test (a skip would hide broken pages)."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install Debian's chromium package "
            "(apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary. "
            "Do not run `playwright install`: the browser test must not download anything."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


def sign_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
