"""What every browser test shares: Debian's Chromium, launched without network chatter,
signing in through the login form, and the console problems (errors, Content-Security-Policy
violations) a page shows."""

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
