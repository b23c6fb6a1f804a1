"""Serving the site for the benchmarks (bench/pages.py, bench/load.py): gunicorn, and clients
timing GETs."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import ROOT
from bench.database import database_url


def production_env(base_url: str, db_name: str, static_root: Path) -> dict:
    """The environment a benchmark serves the site in: production settings over plain HTTP, on
    its own database, without REDIS_URL (tasks in-process, a local-memory cache per worker)."""
    return {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": database_url(base_url, db_name),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def collect_static(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def misses(port: int, path: str, headers: dict, *, count: int) -> list[float]:
    """Latencies (ms) of `count` requests by one client, each with a query string never seen
    before, so that none is served from the cache."""
    latencies = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for n in range(count):
        unique = f"{path}{'&' if '?' in path else '?'}miss={time.time_ns()}-{n}"
        started = time.perf_counter()
        connection.request("GET", unique, headers={**headers, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"request failed: {response.status} {unique}")
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    return latencies


def measure(port: int, path: str, headers: dict, *, clients: int, requests: int) -> list[float]:
    """Latencies (ms) of `requests` GETs sent by `clients` threads, after one warm-up each."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)
    barrier = threading.Barrier(clients)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get() -> float:
            nonlocal connection
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={**headers, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", path, headers={**headers, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
            if response.status != 200:
                with lock:
                    errors.append(f"{response.status} {path}")
            return (time.perf_counter() - started) * 1000

        get()  # warm-up
        barrier.wait()
        mine = [get() for _ in range(per_client)]
        with lock:
            latencies.extend(mine)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"requests failed: {errors[:3]} ({len(errors)} in all)")
    return latencies


def serve(env: dict, port: int, args, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start: see {log}")


class Client:
    """One keep-alive connection, opened again whenever the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, path: str, headers: dict, body: dict | None = None):
        """(status, milliseconds, parsed JSON or None)."""
        payload = json.dumps(body).encode() if body is not None else None
        headers = {**headers, "Host": "127.0.0.1"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    return 599, (time.perf_counter() - started) * 1000, None
        elapsed = (time.perf_counter() - started) * 1000
        parsed = None
        if response.getheader("Content-Type", "").startswith("application/json"):
            parsed = json.loads(data or b"null")
        return response.status, elapsed, parsed
