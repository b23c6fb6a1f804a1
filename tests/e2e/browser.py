"""What every browser test shares: Debian's Chromium, launched without network chatter, and
signing in through the login form (and, for an administrator, setting up an authenticator
with a code computed from the secret the enrolment page shows)."""

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
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:  # an administrator's first sign-in: enrol
        from tests.accounts.signin import totp

        page.get_by_label("Code").fill(totp(page.locator("[data-secret]").inner_text()))
        page.get_by_role("button", name="Turn on and sign in").click()
