"""What every browser test shares: Debian's Chromium, launched without network chatter,
signing in through the login form (and, for an administrator, setting up an authenticator
with a code computed from the secret the enrolment page shows), and the console problems
(errors, Content-Security-Policy violations) a page shows."""

import os
from dataclasses import dataclass

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# CI sets it (.ci/run): there a missing browser fails the browser tests instead of skipping them.
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") not in {"", "0"}
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


@dataclass(frozen=True)
class MissingBrowser:
    fail: bool  # fail the browser tests (CI) rather than skip them
    reason: str


def missing_browser(*, chromium_path: str, required: bool) -> MissingBrowser | None:
    """None when Chromium is there; otherwise whether its absence skips or fails, and why."""
    if os.access(chromium_path, os.X_OK):
        return None
    if required:
        return MissingBrowser(
            fail=True,
            reason=(
                f"Chromium not found at {chromium_path} and REQUIRE_BROWSER is set: install "
                "Debian's chromium package (apt-get install chromium) or point CHROMIUM_PATH at "
                "a Chromium binary. Never `playwright install`: the tests download nothing."
            ),
        )
    return MissingBrowser(
        fail=False,
        reason=(
            f"Chromium not found at {chromium_path}: the browser tests need Debian's chromium "
            "(`make test` installs it when run as root with apt-get; or set CHROMIUM_PATH)"
        ),
    )


def launch(playwright):
    """Debian's Chromium; tests/e2e/conftest.py has already skipped the tests if it is missing
    and not required, so here a missing browser fails the test (a skip in CI would hide broken
    pages)."""
    missing = missing_browser(chromium_path=CHROMIUM_PATH, required=REQUIRE_BROWSER)
    if missing is not None:
        pytest.fail(missing.reason)
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


def sign_in(page, base_url: str, username: str, next_path: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:  # an administrator's first sign-in: enrol
        from tests.accounts.signin import totp

        page.get_by_label("Code").fill(totp(page.locator("[data-secret]").inner_text()))
        page.get_by_role("button", name="Turn on and sign in").click()


# Added through the browser's protocol before any script of the page runs (so the page's own
# policy does not apply to it): prints every Content-Security-Policy violation as an error.
_PRINT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " in " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def watch_problems(page) -> list[str]:
    """From now on, what the page's console shows as a problem: errors (a failed load, a script
    error) and policy violations. A test asserts the list stays empty."""
    problems: list[str] = []
    page.add_init_script(_PRINT_VIOLATIONS)

    def console(message):
        if message.type == "error":
            problems.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error {error}"))
    return problems
