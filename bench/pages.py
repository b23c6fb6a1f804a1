#!/usr/bin/env python
"""Page and API latency under load: every dashboard and the main API lists, served by gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clusterboard \
    .venv/bin/python bench/pages.py --clusters 2000 --kpis 12 --periods 8

DATABASE_URL names the server (and the user): the benchmark drops and recreates its OWN
database on it (`--db-name`, default clusterboard_bench_pages), migrates it, loads the demo
data (`seed_demo`) and adds a synthetic world with bench/world.py's `build_world()` (its
clusters in `--countries` countries and 8 overlapping regions, programs, one template of core
quarterly KPIs, an approved report per cluster and quarter, targets, baselines), then rolls
everything up with the real engine, in-process. The database is left behind for inspection
(drop it when done); `--reuse` measures again on it without rebuilding (the ids it needs are
kept in a file beside the system's temporary files).

It then serves the site with gunicorn (`config.settings.production`, static files collected
into a temporary folder, plain HTTP, no REDIS_URL: the local-memory cache of each worker) and
measures, for each page and API list in turn, `--requests` requests sent by `--clients`
concurrent clients (threads, one connection each, opened again whenever the server closes it;
pages with a session cookie of a user of the right role, the API with a token: no password
hashing per request). Before each measurement every client sends one request (warm-up, not
counted).

What the load measures: the same URL again and again with the data unchanged, so after the
warm-up every request is served from core.cache (dashboards.page_cache, core.api_cache): for
a page the session, the user, the scope check, two cache reads and the site's frame; for an API
list no query at all with Redis (the token is cached too, accounts.tokens.authentication; one
query without Redis), cache reads and the
rendered bytes. What a request costs
when the data has just changed (a cache miss) is measured apart, by one client alone: `miss`
is the median of `--misses` requests each with a query string never seen before (a parameter
the views ignore, so nothing is cached for it yet). Only the loaded p95 goes into the summary.

gunicorn runs as in production (the Dockerfile's default: `sync` workers, one request at a time
per process, a new connection per request) with one worker more than there are cores: the work
is CPU-bound Python, so threads would only fight over one interpreter lock, and keep-alive
connections would tie each client to one worker (a busy worker then holds its clients' requests
while another idles); with a shared accept queue the next free worker takes the next request.
`--worker-class gthread --threads N` measures the other way.

Pages: the national dashboard of a synthetic country (and of the demo's Argentina), the
regional dashboard of a synthetic region, benchmarking over every cluster (administrator),
the administrators', BSO staff's and program officers' home dashboards. API lists (as an
administrator, who sees everything): clusters, reports, rollups of one period, measurements.

The last line is the summary: page_<name>_p95_ms=... api_<name>_p95_ms=... pairs.
Targets: pages p95 <= 150 ms, API lists p95 <= 50 ms.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import recreate_database  # noqa: E402
from bench.figures import percentile, say  # noqa: E402
from bench.serving import (  # noqa: E402
    collect_static,
    free_port,
    measure,
    misses,
    production_env,
    serve,
)
from bench.world import build_world  # noqa: E402


def prepare(args, env: dict) -> None:
    started = time.perf_counter()
    recreate_database(os.environ["DATABASE_URL"], args.db_name)
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    say(f"  database migrated and demo data loaded in {time.perf_counter() - started:.1f} s")


BUILT_TABLES = [
    "clusters_country",
    "clusters_region",
    "clusters_cluster",
    "programs_program",
    "programs_enrolment",
    "scorecards_template",
    "scorecards_kpi",
    "scorecards_clusterscorecard",
    "monitoring_report",
    "monitoring_measurement",
    "scorecards_target",
    "scorecards_baseline",
]
EMPTY = {
    "text": "''",
    "character varying": "''",
    "boolean": "false",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "jsonb": "'{}'",
}


def default_new_columns(cursor) -> None:
    """Give NOT NULL columns that have no default an empty one, in this database only, so that
    build_world's INSERTs (which name the columns they know) survive models that grew a
    column since (Django keeps defaults in Python, not in the table)."""
    cursor.execute(
        """
        SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ANY(%s) AND is_nullable = 'NO'
          AND column_default IS NULL AND is_identity = 'NO'
        """,
        [BUILT_TABLES],
    )
    for table, column, data_type in cursor.fetchall():
        empty = "'USD'" if column == "currency" else EMPTY.get(data_type, "0")
        cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {empty}')


def build(args) -> dict:
    """The synthetic world beside the demo, rolled up; returns the ids the requests need."""
    from django.db import connection

    from monitoring.rollups.engine import recompute_kpi
    from monitoring.rollups.staleness import process_stale

    started = time.perf_counter()
    with connection.cursor() as cursor:
        default_new_columns(cursor)
        ids = build_world(
            cursor,
            clusters=args.clusters,
            kpis=args.kpis,
            periods=args.periods,
            countries=args.countries,
            quarter_targets=True,
        )
        cursor.execute("VACUUM ANALYZE")
    say(f"  synthetic world built in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for kpi_id in ids["kpis"]:
        recompute_kpi(kpi_id=kpi_id)
    process_stale()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM monitoring_rollup")
        rows = cursor.fetchone()[0]
    say(f"  rolled up in {time.perf_counter() - started:.1f} s: {rows:,} rollup rows")
    return ids


def session_cookie(user) -> str:
    """A Cookie header of a new session logged in as the user (no password hashing)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def users_and_credentials(ids: dict) -> dict:
    """Bench users (one per role, anchored in the synthetic world), their session cookies and
    an administrator's API token."""

    from accounts.models import Role, User
    from accounts.tokens.services import token_issue
    from bsos.models import BSO, ClusterSupport
    from clusters.models import Cluster, Country, Region

    first = Cluster.objects.get(pk=ids["clusters"][0])
    country = Country.objects.get(pk=first.country_id)
    bso, _ = BSO.objects.get_or_create(
        code="bench-bso", defaults={"name": "Bench BSO", "kind": "chamber", "country": country}
    )
    ClusterSupport.objects.bulk_create(
        (
            ClusterSupport(bso=bso, cluster_id=pk, role="partner", since="2015-01-01")
            for pk in ids["clusters"][:50]
        ),
        ignore_conflicts=True,  # --reuse: the second time round they exist
    )
    specs = {
        "ministry": {"role": Role.MINISTRY, "country": country},
        "regional": {"role": Role.REGIONAL, "region": Region.objects.get(pk=ids["regions"][0])},
        "admin": {"role": Role.ADMIN},
        "bso": {"role": Role.BSO_STAFF, "bso": bso},
        "officer": {"role": Role.PROGRAM_OFFICER},
    }
    cookies = {}
    for name, fields in specs.items():
        user, _ = User.objects.get_or_create(username=f"bench-{name}", defaults=fields)
        if name == "officer":
            user.programs.set([ids["programs"][0]])
        cookies[name] = session_cookie(user)
    demo_ministry = User.objects.get(username="ministry")
    cookies["demo-ministry"] = session_cookie(demo_ministry)
    _token, key = token_issue(user=User.objects.get(username="bench-admin"))
    return {
        "cookies": cookies,
        "token": key,
        "country": country.pk,
        "demo_country": demo_ministry.country_id,
        "region": ids["regions"][0],
        "kpi": ids["kpis"][0],
        "period": ids["quarters"][-1],
    }


def targets(c: dict) -> list[tuple[str, str, dict]]:
    """(name, path, headers) of everything measured."""
    cookie = c["cookies"]
    token = {"Authorization": f"Token {c['token']}"}
    return [
        ("page_country", f"/dashboards/country/{c['country']}/", {"Cookie": cookie["ministry"]}),
        (
            "page_country_demo",
            f"/dashboards/country/{c['demo_country']}/",
            {"Cookie": cookie["demo-ministry"]},
        ),
        ("page_region", f"/dashboards/region/{c['region']}/", {"Cookie": cookie["regional"]}),
        (
            "page_benchmark",
            f"/dashboards/benchmark/?kpi={c['kpi']}&period={c['period']}&group=country",
            {"Cookie": cookie["admin"]},
        ),
        ("page_admin", "/dashboards/admin/", {"Cookie": cookie["admin"]}),
        ("page_bso", "/dashboards/bso/", {"Cookie": cookie["bso"]}),
        ("page_officer", "/dashboards/officer/", {"Cookie": cookie["officer"]}),
        ("api_clusters", "/api/v1/clusters/", token),
        ("api_reports", "/api/v1/reports/", token),
        ("api_rollups", f"/api/v1/rollups/?period={c['period']}", token),
        ("api_measurements", "/api/v1/measurements/", token),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=12)
    parser.add_argument("--periods", type=int, default=8, help="quarters")
    # build_world's country codes run JA, JB...: 12 stay clear of the demo's Jamaica (JM)
    parser.add_argument("--countries", type=int, default=12)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=160, help="per page or list")
    parser.add_argument("--misses", type=int, default=5, help="per target, one client alone")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--db-name", default="clusterboard_bench_pages")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on the database a previous run left behind (no rebuild)",
    )
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not base_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL): see the docstring.")

    static_root = Path(tempfile.mkdtemp(prefix="bench-pages-static-"))
    env = production_env(base_url, args.db_name, static_root)
    say(
        f"world: demo data + {args.clusters} clusters, {args.kpis} KPIs, {args.periods} quarters; "
        f"{args.clients} clients, {args.requests} requests per target; database {args.db_name}"
    )
    ids_file = Path(tempfile.gettempdir()) / f"bench-pages-{args.db_name}-ids.json"
    if not args.reuse:
        prepare(args, env)
    collect_static(env)
    os.environ.update(env)
    import django

    django.setup()
    if args.reuse:
        ids = json.loads(ids_file.read_text())
        say(f"  reusing database {args.db_name} ({ids_file})")
    else:
        ids = build(args)
        ids_file.write_text(json.dumps(ids))
    credentials = users_and_credentials(ids)
    from django.db import connections

    connections.close_all()

    port = free_port()
    log = Path(tempfile.gettempdir()) / f"bench-pages-gunicorn-{port}.log"
    server = serve(env, port, args, log)
    say(
        f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads on port "
        f"{port}; log {log}"
    )
    summary = []
    try:
        for name, path, headers in targets(credentials):
            latencies = measure(port, path, headers, clients=args.clients, requests=args.requests)
            p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
            miss = percentile(misses(port, path, headers, count=args.misses), 0.5)
            say(
                f"  {name:<20} n={len(latencies):<4} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                f"max {max(latencies):7.1f} ms  miss {miss:7.1f} ms   {path}"
            )
            summary.append(f"{name}_p95_ms={p95:.0f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    say(" ".join(summary))


if __name__ == "__main__":
    main()
