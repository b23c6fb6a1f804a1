"""Security headers on every answer: a Content-Security-Policy without 'unsafe-inline', no
framing, nosniff, a referrer policy; HSTS in production. Templates hold no inline code for
the policy to refuse."""

import re

import pytest
from django.urls import reverse

from tests.core.test_project import ROOT, run_python

pytestmark = pytest.mark.django_db


def assert_secure_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/directory/", "/accounts/login/", "/no-such-page/"])
def test_public_pages_carry_the_headers(client, path):
    assert_secure_headers(client.get(path))


def test_signed_in_pages_and_the_api_carry_the_headers(client, world):
    client.force_login(world.users["admin"])
    for path in ("/", "/home/", "/programs/", reverse("api:cluster-list"), "/admin/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert_secure_headers(response)


def test_the_api_docs_load_their_start_up_script_from_a_url_not_inline(client):
    page = client.get(reverse("api-docs"))
    html = page.content.decode()

    assert_secure_headers(page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert "<style" not in html
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_a_refused_form_shows_our_page_without_inline_style(world):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "bso", "password": "x"}
    )

    assert response.status_code == 403
    assert_secure_headers(response)
    html = response.content.decode()
    assert "Form expired" in html
    assert "<style" not in html and "style=" not in html


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def test_no_template_holds_inline_code():
    # The policy would refuse it in the browser: scripts go to static/js, styles to static/css.
    found = []
    for template in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        (ROOT / "templates").glob("**/*.html")
    ):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        text = re.sub(r"\{#.*?#\}", "", text)  # comments may name what they avoid
        found += [f"{template.relative_to(ROOT)}: {what}" for rx, what in INLINE if rx.search(text)]
    assert found == []


def test_production_adds_hsts_over_https():
    result = run_python(
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/i18n/setlang/', secure=True, HTTP_HOST='clusterboard.example.org'); "
        "print(r.status_code); print(r['Strict-Transport-Security']); "
        "print(r['Content-Security-Policy'])",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x7Qp9zLm2Rt8Vw4Ny6Kb" * 2,
        DJANGO_ALLOWED_HOSTS="clusterboard.example.org",
        DATABASE_URL="sqlite:////tmp/clusterboard-hsts-check.sqlite3",
    )

    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stderr
    assert lines[1] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in lines[2]
