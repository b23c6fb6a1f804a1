#!/usr/bin/env python
"""Pages and API lists under a realistic load: many users asking for different things while
others write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clusterboard \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    .venv/bin/python bench/load.py --clusters 2000 --clients 16 --duration 120 --write-rate 1

The world is bench/pages.py's (the demo data and bench/world.py's synthetic clusters, rolled
up), in a database of its own (`--db-name`, default clusterboard_bench_load; `--reuse` measures
again on it). gunicorn serves the site as in production (bench/serving.py): with REDIS_URL set,
the cache and the broker are a Redis database of the benchmark's own (`--redis-db`, emptied
first) shared by every web process, and one Celery worker rolls up what the writers approve, as
in docker-compose.yml; without it, each web process keeps its own cache and runs tasks inside
the request (the embedded default's way, which flatters the cache and burdens the writes).

Readers: `--clients` threads for `--duration` seconds. Each request first picks a kind of page
or API list, every kind equally often, then one of that kind's URLs, all equally often
(bench/load.py's `catalogue`): the national dashboard of every country and the regional one of
every region, for every quarter; benchmarking for every core KPI, quarter and peer grouping;
the home dashboards of each role; the API lists of clusters (by country), reports (by cluster
and by period), rollups (by period and KPI) and measurements (by report); every page in
English and in Spanish. So most requests ask for something no one asked for since the last
write, as in real use. With `--think 0` (the default) each client asks again as soon as it is
answered: a closed loop of `--clients` requests always in flight, the machine's ceiling, where
by Little's law the mean latency is clients / throughput. `--think S` pauses each client a
random time of mean S seconds between requests, as a person reading the page would.

Writers: one thread writing `--write-rate` times a second through the real API, in turn: an
administrator reopens an approved report of one of the bench BSO's clusters, the BSO's staff
save a value in it and submit it, the administrator approves it; and every fourth write the
staff log an activity. Each write commits, so caches and rollups move as they would.

Then, with the cache switched off (RESULT_CACHE=false, a second gunicorn) and one client
alone, each kind's latency over `--cold` URLs of it: what a page costs when nothing is cached.

It prints p50 / p95 / max and the count per kind, errors, throughput, the writes' latencies,
the cache-off figures, and last one line:
`load_pages_p95_ms=... load_api_p95_ms=... load_writes_p95_ms=... load_rps=...
cold_pages_max_ms=...` (one line).
Targets (issue 20, 2 cores, 2,000 clusters, 16 clients, one write a second): pages p95 <= 300
ms, API lists p95 <= 100 ms, writes p95 <= 300 ms, every page with the cache off <= 150 ms.
"""

import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import percentile, say  # noqa: E402
from bench.pages import build, prepare, users_and_credentials  # noqa: E402
from bench.serving import (  # noqa: E402
    Client,
    collect_static,
    free_port,
    production_env,
    serve,
)
from bench.worker import Worker  # noqa: E402
from bench.writers import write_load, writers_setup  # noqa: E402

LANGUAGES = ("en", "es")
Target = tuple[str, dict]  # (path, headers)


def catalogue(c: dict) -> dict[str, list[Target]]:
    """Every URL of every kind, with the headers of a user allowed to read it."""
    from clusters.models import Cluster, Country, Region
    from monitoring.models import Report
    from scorecards.models import KPI, Period

    cookie = c["cookies"]
    token = {"Authorization": f"Token {c['token']}"}
    quarters = list(
        Period.objects.filter(quarter__isnull=False, reports__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    kpis = list(KPI.objects.filter(cluster__isnull=True).values_list("pk", flat=True))
    countries = list(
        Country.objects.filter(clusters__isnull=False).distinct().values_list("pk", flat=True)
    )
    regions = list(Region.objects.values_list("pk", flat=True))
    country_codes = list(Country.objects.values_list("code", flat=True))
    clusters = list(Cluster.objects.values_list("pk", flat=True))
    reports = list(Report.objects.order_by("?").values_list("pk", flat=True)[:2000])

    def page(path: str, who: str) -> list[Target]:
        return [
            (path, {"Cookie": f"{cookie[who]}; django_language={lang}", "Accept-Language": lang})
            for lang in LANGUAGES
        ]

    def each(paths, who):
        return [target for path in paths for target in page(path, who)]

    return {
        "page_country": each(
            (f"/dashboards/country/{u}/?period={p}" for u in countries for p in quarters), "admin"
        ),
        "page_region": each(
            (f"/dashboards/region/{u}/?period={p}" for u in regions for p in quarters), "admin"
        ),
        "page_benchmark": each(
            (
                f"/dashboards/benchmark/?kpi={k}&period={p}&group={g}"
                for k in kpis
                for p in quarters
                for g in ("sector", "stage", "country")
            ),
            "admin",
        ),
        "page_home": [
            *page("/dashboards/admin/", "admin"),
            *page("/dashboards/bso/", "bso"),
            *page("/dashboards/officer/", "officer"),
            *page(f"/dashboards/country/{c['country']}/", "ministry"),
            *page(f"/dashboards/region/{c['region']}/", "regional"),
        ],
        "api_clusters": [(f"/api/v1/clusters/?country={code}", token) for code in country_codes],
        "api_reports": [
            *((f"/api/v1/reports/?cluster={u}", token) for u in clusters),
            *((f"/api/v1/reports/?period={p}", token) for p in quarters),
        ],
        "api_rollups": [
            (f"/api/v1/rollups/?period={p}&kpi={k}", token) for p in quarters for k in kpis
        ],
        "api_measurements": [(f"/api/v1/measurements/?report={r}", token) for r in reports],
    }


def read_load(port, kinds, *, clients, duration, think, seed, results, errors, lock, stop, started):
    """Each client sends one request before the clock starts (a warm-up, not counted); the
    writer starts with the clock (`started`). Between two requests a client reads for a random
    time of mean `think` seconds (exponential), or not at all with 0."""
    ready = threading.Barrier(clients + 1)

    def run(number: int) -> None:
        pick = random.Random(seed + number)
        client = Client(port)
        names = sorted(kinds)
        client.send("GET", *pick.choice(kinds[names[number % len(names)]]))
        ready.wait()
        while not stop.is_set():
            kind = pick.choice(names)
            path, headers = pick.choice(kinds[kind])
            status, ms, _ = client.send("GET", path, headers)
            with lock:
                results[kind].append(ms)
                if status != 200:
                    errors[kind].append(f"{status} {path}")
            if think:
                stop.wait(pick.expovariate(1 / think))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started.set()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join()


def cold(port: int, kinds: dict, *, count: int, seed: int, warm: int) -> dict[str, list[float]]:
    """One client alone, the cache off: latencies over `count` URLs of each kind, after `warm`
    requests not counted (each worker's first request pays for its imports). Each URL is asked
    twice and the faster counts (best of two: a page's cost, not the moment's noise of
    autovacuum or a template compiled for the first time in that process)."""
    pick = random.Random(seed)
    client = Client(port)
    names = sorted(kinds)
    for number in range(warm):
        client.connection.close()  # a new connection: the next free worker takes it
        client.send("GET", *pick.choice(kinds[names[number % len(names)]]))
    found = {}
    for kind in sorted(kinds):
        latencies = []
        for path, headers in pick.sample(kinds[kind], min(count, len(kinds[kind]))):
            tries = [client.send("GET", path, headers) for _ in range(2)]
            for status, _ms, _body in tries:
                if status != 200:
                    raise SystemExit(f"cache off: {status} {path}")
            latencies.append(min(ms for _status, ms, _body in tries))
        found[kind] = latencies
    return found


def redis_of_its_own(number: int) -> dict:
    """REDIS_URL (and so the cache and the broker) on database `number` of REDIS_URL's server,
    emptied; {} without REDIS_URL."""
    base = os.environ.get("REDIS_URL")
    if not base:
        return {}
    import redis

    url = urlsplit(base)._replace(path=f"/{number}").geturl()
    redis.Redis.from_url(url).flushdb()
    return {"REDIS_URL": url}


def line(name: str, values: list[float], errors: int = 0) -> str:
    if not values:
        return f"  {name:<18} n=0"
    return (
        f"  {name:<18} n={len(values):<5} p50 {percentile(values, 0.5):7.1f} ms  "
        f"p95 {percentile(values, 0.95):7.1f} ms  max {max(values):7.1f} ms"
        + (f"  errors {errors}" if errors else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=12)
    parser.add_argument("--periods", type=int, default=8, help="quarters")
    parser.add_argument("--countries", type=int, default=12)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--write-rate", type=float, default=1.0, help="writes a second")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a client reads a page (0: none)"
    )
    parser.add_argument("--cold", type=int, default=5, help="URLs per kind, cache off")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--db-name", default="clusterboard_bench_load")
    parser.add_argument("--reuse", action="store_true", help="no rebuild: see bench/pages.py")
    parser.add_argument("--redis-db", type=int, default=9, help="on REDIS_URL's server")
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not base_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL): see the docstring.")

    static_root = Path(tempfile.mkdtemp(prefix="bench-load-static-"))
    env = production_env(base_url, args.db_name, static_root)
    serving_env = {**env, **redis_of_its_own(args.redis_db)}
    say(
        f"world: demo data + {args.clusters} clusters, {args.kpis} KPIs, {args.periods} quarters; "
        f"{args.clients} clients for {args.duration:.0f} s, thinking {args.think} s, "
        f"{args.write_rate} writes/s; "
        f"database {args.db_name}"
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
    else:
        ids = build(args)
        ids_file.write_text(json.dumps(ids))
    credentials = users_and_credentials(ids)
    kinds = catalogue(credentials)
    writers = writers_setup(credentials)
    say(
        "  URLs per kind: "
        + ", ".join(f"{kind} {len(urls)}" for kind, urls in sorted(kinds.items()))
        + f"; writers' reports {len(writers['reports'])}"
    )
    from django.db import connections

    connections.close_all()

    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock, stop, started = threading.Lock(), threading.Event(), threading.Event()
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"bench-load-gunicorn-{port}.log"
    server = serve(serving_env, port, args, log)
    say(f"gunicorn: {args.workers} {args.worker_class} workers on port {port}; log {log}")
    worker = None
    if "REDIS_URL" in serving_env:
        worker_env = {**serving_env, "DJANGO_LOG_LEVEL": "INFO"}  # its "ready." line
        worker = Worker(worker_env, "celery", log.with_name(f"bench-load-worker-{port}.log"))
        worker.wait_ready()
        say(f"cache and broker: {serving_env['REDIS_URL']}, one Celery worker")
    else:
        say("no REDIS_URL: a cache per web process, tasks run inside the requests")
    try:
        writer = threading.Thread(
            target=write_load,
            args=(port, writers),
            kwargs={
                "rate": args.write_rate,
                "results": results,
                "errors": errors,
                "lock": lock,
                "stop": stop,
                "started": started,
            },
        )
        writer.start()
        read_load(
            port,
            kinds,
            clients=args.clients,
            duration=args.duration,
            think=args.think,
            seed=args.seed,
            results=results,
            errors=errors,
            lock=lock,
            stop=stop,
            started=started,
        )
        writer.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if worker is not None:
            worker.stop()

    cold_env = {**serving_env, "RESULT_CACHE": "false"}
    port = free_port()
    server = serve(cold_env, port, args, log.with_name(f"bench-load-cold-{port}.log"))
    try:
        cold_figures = cold(
            port, kinds, count=args.cold, seed=args.seed, warm=2 * len(kinds) * args.workers
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    say("under load (the cache on):")
    for kind in sorted(results):
        say(line(kind, results[kind], len(errors[kind])))
    for kind, found in sorted(errors.items()):
        for error in found[:3]:
            say(f"    {kind}: {error}")
    say("one client, the cache off:")
    for kind in sorted(cold_figures):
        say(line(kind, cold_figures[kind]))

    def merged(prefix):
        return [ms for kind, values in results.items() if kind.startswith(prefix) for ms in values]

    reads = len(merged("page_")) + len(merged("api_"))
    cold_pages = [ms for kind, v in cold_figures.items() if kind.startswith("page_") for ms in v]
    say(f"reads {reads} in {args.duration:.0f} s, errors {sum(len(v) for v in errors.values())}")
    say(
        f"load_pages_p95_ms={percentile(merged('page_'), 0.95):.0f} "
        f"load_api_p95_ms={percentile(merged('api_'), 0.95):.0f} "
        f"load_writes_p95_ms={percentile(merged('write_'), 0.95):.0f} "
        f"load_rps={reads / args.duration:.1f} "
        f"cold_pages_max_ms={max(cold_pages, default=0):.0f}"
    )


if __name__ == "__main__":
    main()
