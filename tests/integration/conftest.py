"""Integration tests: real Celery workers (subprocesses) on Redis and the PostgreSQL test database.

They need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); without them they skip with the
reason. The workers and the test process use:
- the test database pytest-django created (the workers must see committed rows, hence
  `transactional_db`);
- a Redis database of their own (REDIS_URL's server, database INTEGRATION_REDIS_DB, 7 unless
  set), flushed at the start and at the end of the session;
- a queue unique to the test session (CELERY_TASK_DEFAULT_QUEUE, read by config.settings.test),
  so that no other worker takes their tasks.
Every worker is killed (SIGKILL to its process group) when its test ends, and its database
sessions are ended, so that nothing outlives the test.
"""

import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection

from accounts.tokens.services import token_issue
from config.celery import app as celery_app
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.builtin import load_builtin_templates
from scorecards.models import Period, Template
from scorecards.services import periods_generate, scorecard_adopt

ROOT = Path(settings.BASE_DIR)
SESSION = uuid.uuid4().hex[:10]
QUEUE = f"integration-{SESSION}"
WORKER_DB_APPLICATION = f"cb-integration-{SESSION}"  # application_name of the workers' sessions
WEB_DB_APPLICATION = f"cb-integration-web-{SESSION}"  # ... and of the web servers' sessions


def _redis_url() -> str:
    """REDIS_URL's server, another database: the session flushes it at its start and end."""
    parts = urlsplit(os.environ["REDIS_URL"])
    db = os.environ.get("INTEGRATION_REDIS_DB", "7")
    if db == (parts.path.strip("/") or "0"):
        pytest.fail(f"INTEGRATION_REDIS_DB ({db}) must differ from REDIS_URL's database")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


@pytest.fixture(scope="session")
def integration_env():
    """Skip without PostgreSQL and Redis; otherwise the session's Redis database, flushed."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip(
            "integration tests need a Redis broker and a real Celery worker: "
            "REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379/0)"
        )
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "integration tests need PostgreSQL (the workers share the test database): "
            "DATABASE_URL is not set to a postgres:// URL"
        )
    import redis

    url = _redis_url()
    client = redis.Redis.from_url(url)
    client.ping()  # Redis set but down is a failure, not a skip
    client.flushdb()
    yield SimpleNamespace(redis_url=url, redis=client, queue=QUEUE)
    client.flushdb()
    client.close()


def _worker_database_url(application: str = WORKER_DB_APPLICATION) -> str:
    db = settings.DATABASES["default"]  # at test time its NAME is the test database
    credentials = quote(db["USER"] or "postgres", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return (
        f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"
        f"?application_name={application}"
    )


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children.extend(int(c) for c in (task / "children").read_text().split())
    return children


class Worker:
    """`celery worker -P prefork -c 1` on the test database and the session's queue."""

    def __init__(self, name: str, redis_url: str, log: Path):
        self.name = name
        self.log = log
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "DATABASE_URL": _worker_database_url(),
            "REDIS_URL": redis_url,
            "PYTHONUNBUFFERED": "1",
            # the task lines (received, succeeded, retry) that the tests read in the log
            "CELERY_TRACE_LOG_LEVEL": "INFO",
        }
        self.process = subprocess.Popen(
            [
                *command,
                "-A",
                "config",
                "worker",
                "-l",
                "info",
                "-P",
                "prefork",
                "-c",
                "1",
                "-Q",
                QUEUE,
                "-n",
                f"{name}-{SESSION}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 40) -> str:
        return f"--- {self.name} ({self.log}) ---\n" + "\n".join(self.text().splitlines()[-lines:])

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"worker {self.name} did not start\n{self.tail()}")

    def pool_processes(self) -> list[int]:
        """The prefork pool's child processes (the ones that run the tasks)."""
        return _children(self.process.pid)

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no acknowledgement."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


def end_worker_sessions() -> None:
    """End the database sessions the workers left (a killed worker's backend may still run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [WORKER_DB_APPLICATION],
        )


@pytest.fixture
def workers(integration_env, transactional_db, tmp_path) -> Callable[..., Worker]:
    """Start workers with `workers()` (or `workers("name")`); all are killed at teardown."""
    started: list[Worker] = []

    def start(name: str | None = None, *, wait: bool = True) -> Worker:
        name = name or f"w{len(started) + 1}"
        worker = Worker(name, integration_env.redis_url, tmp_path / f"{name}.log")
        started.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    start.started = started
    yield start
    for worker in started:
        worker.kill()
    end_worker_sessions()
    # A message the test left in the queue (a task that queued itself again) would reach the
    # next test's worker first, and take its place in that test's choreography.
    integration_env.redis.flushdb()


def _reset_connections() -> None:
    """Close this process's broker connections and forget the app's routing, so that the new
    configuration applies to the next message sent."""
    kombu.pools.reset()  # the global connection and producer pools, keyed by broker URL
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)  # queues and routes, read once from the conf


def free_port() -> int:
    """A local TCP port nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_broker_url() -> str:
    """A Redis URL on a local port nothing listens on (connections are refused)."""
    return f"redis://127.0.0.1:{free_port()}/0"


class Broker:
    """Where the test process sends its tasks: the session's queue on a broker, not eagerly."""

    KEYS = ("broker_url", "task_always_eager", "task_default_queue")

    def __init__(self, settings, redis_url: str):
        self.settings = settings
        self.redis_url = redis_url
        self.saved = {key: celery_app.conf[key] for key in self.KEYS}

    def use(self, url: str) -> None:
        # Django's settings say it (pytest-django restores them) and so does the Celery app,
        # whose configuration was read from them once.
        self.settings.CELERY_TASK_ALWAYS_EAGER = False
        self.settings.CELERY_BROKER_URL = url
        self.settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
        celery_app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=QUEUE)
        _reset_connections()

    def use_live(self) -> None:
        self.use(self.redis_url)

    def use_dead(self) -> None:
        self.use(dead_broker_url())

    def restore(self) -> None:
        celery_app.conf.update(self.saved)
        _reset_connections()


@pytest.fixture
def broker(integration_env, settings):
    """The test process sends tasks to the session's queue on Redis; eager again afterwards."""
    broker = Broker(settings, integration_env.redis_url)
    broker.use_live()
    yield broker
    broker.restore()


def wait_for(
    predicate: Callable[[], object],
    *,
    timeout: float,
    what: str,
    workers: Callable | None = None,
    interval: float = 0.05,
):
    """Poll until the predicate is true; fail with the workers' logs after the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            logs = "\n".join(w.tail() for w in getattr(workers, "started", []))
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server of the test's own on a free local port, so that a test may freeze it
    (SIGSTOP: connections are still accepted by the kernel, nothing is answered) without
    touching the Redis every other test and process shares."""

    def __init__(self, directory: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not on PATH: the frozen-Redis tests start their own")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = directory / "redis.log"
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(directory)),
            ],
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)
        wait_for(lambda: self._answers(client), timeout=10, what="the private redis-server")
        client.close()

    def _answers(self, client) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"redis-server exited:\n{self.log.read_text(errors='replace')}")
        try:
            return bool(client.ping())
        except Exception:
            return False

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGCONT)  # a stopped process ignores SIGTERM
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(integration_env, tmp_path) -> PrivateRedis:
    """A redis-server for this test alone (killed at teardown, thawed first if frozen)."""
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


class WebServer:
    """gunicorn (one sync worker, its 30 s timeout) serving the test database, as in
    production: persistent database connections (DATABASE_CONN_MAX_AGE=60), Redis for the
    cache and the broker (tasks go to the session's queue), the test settings otherwise."""

    def __init__(self, log: Path, *, redis_url: str, database_url: str | None = None):
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "DATABASE_URL": database_url or _worker_database_url(WEB_DB_APPLICATION),
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [
                *(str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", "1", "--timeout", "30", "--access-logfile", "-"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._answers, timeout=60, what=f"gunicorn to answer (its log: {log})")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited\n{self.tail()}")
        with contextlib.suppress(OSError):
            self.request("GET", "/health/", timeout=5)
            return True
        return False

    def request(self, method: str, path: str, *, token: str | None = None, timeout: float = 60):
        """(status, headers, body) of one request; an HTTP error status is an answer too."""
        request = urllib.request.Request(self.url + path, method=method)
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- gunicorn ({self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


def end_sessions_of(application: str) -> None:
    """End the database sessions a process of the test left (by application_name)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [application],
        )


@pytest.fixture
def web(integration_env, transactional_db, tmp_path) -> Callable[..., WebServer]:
    """Start gunicorn with `web(redis_url=...)`; every one started is killed at teardown."""
    started: list[WebServer] = []

    def start(**kwargs) -> WebServer:
        kwargs.setdefault("redis_url", integration_env.redis_url)
        server = WebServer(tmp_path / f"gunicorn{len(started) + 1}.log", **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    end_sessions_of(WEB_DB_APPLICATION)


@pytest.fixture
def submitted(world, transactional_db):
    """Mendoza's 2025-Q1 report, filled in and submitted, and the officer's API token."""
    load_builtin_templates(django_apps)  # a transactional test flushes the migrations' rows
    periods_generate(first_year=2025, last_year=2025)
    scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    report = report_open(cluster=world.inside, period=Period.objects.get(year=2025, quarter=1))
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "4"}
        elif m.kpi.by_sex:
            rows[m.kpi_id] = {"value_women": "3", "value_men": "2"}
        else:
            rows[m.kpi_id] = {"value": "2"}
    bso = world.users["bso_staff"]
    report_record_values(report=report, rows=rows, user=bso)
    report_transition(report=report, action="submit", user=bso)
    world.report = report
    world.token = token_issue(user=world.users["program_officer"])[1]
    return world
