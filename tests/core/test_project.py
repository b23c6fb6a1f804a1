"""Project-wide checks: migrations, the API schema and docs, production settings, Celery wiring."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_openapi_schema_is_valid(client):
    response = client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "/api/v1/clusters/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


@pytest.mark.django_db
def test_api_docs_load_their_assets_locally(client):
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9zLm2Rt8Vw4Ny6Kb" * 2,
            "DJANGO_ALLOWED_HOSTS": "clusterboard.example.org",
            "DATABASE_URL": "sqlite:////tmp/clusterboard-deploy-check.sqlite3",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="x.org",
        DATABASE_URL="sqlite:////tmp/x.sqlite3",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRINT_CELERY = (
    "import django; django.setup(); from config.celery import app; "
    "print(app.conf.task_always_eager, app.conf.broker_url)"
)


def test_without_redis_url_tasks_run_in_process():
    result = run_python(PRINT_CELERY, DJANGO_SETTINGS_MODULE="config.settings.local")
    assert result.stdout.split() == ["True", "memory://"], result.stderr


def test_with_redis_url_tasks_go_to_the_broker():
    result = run_python(
        PRINT_CELERY,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/3"], result.stderr


def test_make_run_serves_the_stylesheets_from_runserver():
    # runserver must be staticfiles' own (it serves static/ with DEBUG on): WhiteNoise's
    # runserver_nostatic once replaced it and `make run` showed unstyled pages.
    result = run_python(
        "import django; django.setup(); from django.core.management import get_commands; "
        "print(get_commands()['runserver'])",
        DJANGO_SETTINGS_MODULE="config.settings.local",
    )
    assert result.stdout.strip() == "django.contrib.staticfiles", result.stderr


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9zLm2Rt8Vw4Ny6Kb" * 2,
    "DJANGO_ALLOWED_HOSTS": "clusterboard.example.org",
    "DATABASE_URL": "sqlite:////tmp/clusterboard-deploy-check.sqlite3",
}


def test_production_cookies_are_secure_http_only_and_same_site():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax"], result.stderr


def test_production_hashes_new_passwords_with_argon2_and_still_reads_older_hashes():
    result = run_python(
        "import django; django.setup(); "
        "from django.contrib.auth.hashers import check_password, make_password; "
        "old = make_password('s3cret-phrase', hasher='pbkdf2_sha256'); "
        "print(make_password('s3cret-phrase').split('$')[0], check_password('s3cret-phrase', old))",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["argon2", "True"], result.stderr


@pytest.mark.django_db
def test_every_list_in_the_schema_answers_the_same_envelope(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    envelopes = {name: body for name, body in components.items() if name.startswith("Paginated")}
    assert {"PaginatedRollupList", "PaginatedActivityList", "PaginatedDisbursementList"} <= set(
        envelopes
    )
    for name, body in envelopes.items():
        assert set(body["properties"]) == {"count", "next", "previous", "results"}, name
        assert body["required"] == ["count", "next", "previous", "results"], name
    assert components["PaginatedRollupList"]["properties"]["count"]["nullable"] is True
    disbursements = schema["paths"]["/api/v1/programs/{id}/disbursements/"]
    listed = disbursements["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"$ref": "#/components/schemas/PaginatedDisbursementList"}
    assert "201" in disbursements["post"]["responses"]
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        body = answer.get("content", {}).get("application/json", {}).get("schema", {})
        assert body.get("type") != "array", f"{path} answers a bare array, not a page"


PERCENT_LIKE = {"rate", "achievement", "score", "threshold", "share", "percent"}
# An exchange rate (1 EUR = 1.0950 USD) is a price, not a percentage: its `rate` stays a plain
# decimal, in the table (ExchangeRate) and where a converted total names the rates it used.
NOT_PERCENT = {
    (name, "rate")
    for name in ("ExchangeRate", "ExchangeRateRequest", "PatchedExchangeRateRequest", "RateUsed")
}


@pytest.mark.django_db
def test_every_percent_like_number_in_the_schema_is_a_percent_field(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    found = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if PERCENT_LIKE & set(field.split("_")) and (name, field) not in NOT_PERCENT:
                found.append((name, field))
                assert field.endswith("_percent"), f"{name}.{field}"
                assert (spec["type"], spec["format"]) == ("string", "decimal"), f"{name}.{field}"
                assert "percent" in spec["description"].lower(), f"{name}.{field}"
    assert len(found) > 8


@pytest.mark.django_db
def test_every_operation_documents_the_errors_it_can_answer(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]
    errors = {"Error", "ValidationError"} <= set(schema["components"]["schemas"])
    assert errors
    for path, operations in paths.items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            if "{" in path:
                assert "404" in answers, (path, method)
            if "requestBody" in operation:  # refused input; an object named out of scope
                assert {"400", "404"} <= answers, (path, method)
            if method == "delete":
                assert "409" in answers, (path, method)
            if method in {"post", "put", "patch", "delete"} and operation.get("security"):
                assert {"401", "403"} <= answers, (path, method)
            if method == "patch":
                assert (
                    "fields sent" in operation["description"]
                    or "revision" in (operation["description"])
                ), path
    assert "401" not in paths["/api/v1/clusters/"]["get"]["responses"]  # open to anyone
    assert {} in paths["/api/v1/clusters/"]["get"]["security"]
    assert "409" in paths["/api/v1/measurements/{id}/"]["patch"]["responses"]
    body = paths["/api/v1/kpis/"]["post"]["responses"]["400"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ValidationError"}


@pytest.mark.django_db
def test_nullable_model_fields_are_nullable_in_the_schema(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()["components"]["schemas"]
    for component, field in [
        ("Program", "approval_date"),
        ("Program", "closing_date"),
        ("Enrolment", "enrolled_until"),
        ("KPI", "cluster"),
        ("Template", "published_at"),
        ("ClusterScorecard", "until"),
        ("Rollup", "unit_code"),
    ]:
        assert schema[component]["properties"][field].get("nullable") is True, (component, field)


def test_make_run_says_in_one_line_what_the_next_minutes_will_do_before_it_starts():
    # -n prints the recipe without running it; the first line is the notice, before the
    # install (the slow part of a first run) and the seed.
    # Under `make test` the parent make's MAKELEVEL/MAKEFLAGS would make this one print
    # "Entering directory" first; the test reads the recipe as a user's shell would.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    result = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    first, *rest = result.stdout.splitlines()
    assert first.startswith("echo ") and "minutes" in first and "demo data" in first
    assert any("install" in line for line in rest)
    assert any("seed_demo" in line for line in rest)
