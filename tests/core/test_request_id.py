"""Every answer carries a request id (a proxy's sane X-Request-ID, else a new one), and every
log line says when, how bad, which logger and which request: text locally, JSON in production."""

import io
import json
import logging
import re

import pytest

from core.log_format import JsonFormatter
from core.request_id import RequestIdFilter
from tests.core.test_project import run_python

pytestmark = pytest.mark.django_db


def test_an_answer_carries_a_new_request_id_when_none_came(client):
    first = client.get("/directory/")["X-Request-ID"]
    second = client.get("/directory/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize(
    "incoming", ["0f8fe1e2-6bd0-4c1e-9d0c-3c1b8a2e7a91", "a4c2f1d9e8b7", "Root=1-6789abcd-ef01"]
)
def test_a_sane_request_id_from_a_proxy_is_kept(client, incoming):
    assert client.get("/directory/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", ["", "two words", 'quo"te', "x" * 200, "line\nbreak", "<script>", "-leading"]
)
def test_an_odd_request_id_is_replaced(client, incoming):
    answered = client.get("/directory/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_redirects_and_errors_carry_it_too(client):
    assert client.get("/home/")["X-Request-ID"]  # a redirect to sign in
    assert client.get("/no-such-page/")["X-Request-ID"]  # 404


@pytest.fixture
def json_log():
    """The root logger also writes, as production does, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)


def test_the_log_lines_of_a_request_carry_its_id(client, settings, json_log):
    settings.LOG_REQUESTS = True

    answer = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-42")
    logging.getLogger("after").warning("outside any request")

    lines = json_log()
    by_logger = {line["logger"]: line for line in lines}
    assert answer["X-Request-ID"] == "trace-42"
    # the request's own line, and Django's, written after the middleware returned
    assert by_logger["core.requests"]["request_id"] == "trace-42"
    assert by_logger["core.requests"]["message"].startswith("GET /no-such-page/ 404 ")
    assert by_logger["django.request"]["request_id"] == "trace-42"
    assert by_logger["django.request"]["level"] == "WARNING"
    assert by_logger["after"]["request_id"] == "-"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9zLm2Rt8Vw4Ny6Kb" * 2,
    "DJANGO_ALLOWED_HOSTS": "clusterboard.example.org",
    "DATABASE_URL": "sqlite:////tmp/clusterboard-log-check.sqlite3",
}
LOG_A_LINE = (
    "import django, logging; django.setup(); "
    "logging.getLogger('clusterboard.check').warning('disk %s full', 'almost')"
)


def test_production_writes_one_json_object_a_line():
    result = run_python(LOG_A_LINE, **PRODUCTION)

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert set(line) == {"time", "level", "logger", "request_id", "message"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert (line["level"], line["logger"], line["request_id"], line["message"]) == (
        "WARNING",
        "clusterboard.check",
        "-",
        "disk almost full",
    )


def test_locally_lines_are_readable_text():
    result = run_python(LOG_A_LINE, DJANGO_SETTINGS_MODULE="config.settings.local")

    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING clusterboard\.check \[-\] disk almost full",
        result.stderr.strip().splitlines()[-1],
    ), result.stderr
