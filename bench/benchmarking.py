#!/usr/bin/env python
"""The benchmarking page's reading (monitoring.rollups.benchmark.peer_groups) timed in-process,
with no cache in front of it, on a world another benchmark left (issue 20.2):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python bench/benchmarking.py [--db-name clusterboard_bench] [--repeats 10]

bench/rollups.py leaves `clusterboard_bench` (`--clusters 50000` for the issue's size),
bench/pages.py `clusterboard_bench_pages`. Readers: `bench-admin` (every cluster, by name), and
two made here if missing: a ministry of the first country (its clusters, by name) and a program
officer of the first program (the whole platform, anonymised). For each reader and peer
grouping (sector family, life-cycle stage, country) on the latest quarter's first KPI with
values: the first call, then p50 and max of `--repeats` calls, and the queries of one call; a
page and the download (every listed peer). The last line is the summary:
benchmarking_page_p50_ms=... benchmarking_page_max_ms=... benchmarking_download_p50_ms=...
"""

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import point_django_at  # noqa: E402
from bench.figures import percentile, say  # noqa: E402

GROUPINGS = ("sector", "stage", "country")


@dataclass
class Timing:
    role: str
    grouping: str
    every: bool  # the download (every listed peer) rather than a page
    groups: int
    clusters: int  # compared, in the groups returned
    read: int  # peers read into Python
    first: float  # ms
    times: list[float]  # ms
    queries: int


def readers() -> dict:
    """The readers timed, by role: made once in the benchmark's database."""
    from accounts.models import Role, User
    from clusters.models import Country
    from programs.models import Program

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    ministry, _ = User.objects.get_or_create(
        username="bench-ministry",
        defaults={"role": Role.MINISTRY, "country": Country.objects.order_by("pk").first()},
    )
    officer, created = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.PROGRAM_OFFICER}
    )
    if created:
        officer.programs.set([Program.objects.order_by("pk").first()])
    return {"admin": admin, "ministry": ministry, "officer": officer}


def timed(call, repeats: int) -> tuple[float, list[float], int]:
    """The first call's time, the next `repeats` calls' times (ms) and one call's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    call()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        call()
    return first, times, len(captured)


def read(groups, *, every: bool) -> list[tuple]:
    """What a page (or the download) reads of each group: its spread, the peers it lists and how
    many more there are. (These were worked out on reading before issue 20.2, so they are timed.)"""
    return [(g.spread, g.more, g.listed if every else g.listed_shown) for g in groups]


def measure(kpi, period, repeats: int) -> list[Timing]:
    """Each reader's page and download in each peer grouping, timed."""
    from monitoring.rollups import benchmark

    timings = []
    for role, user in readers().items():
        for grouping in GROUPINGS:
            for every in (False, True):

                def call(user=user, grouping=grouping, every=every):
                    groups = benchmark.peer_groups(
                        user, kpi=kpi, period=period, grouping=grouping, every_figure=every
                    )
                    read(groups, every=every)
                    return groups

                groups = call()
                first, times, queries = timed(call, repeats)
                timings.append(
                    Timing(
                        role,
                        grouping,
                        every,
                        len(groups),
                        sum(g.size for g in groups),
                        sum(len(g.peers) for g in groups),
                        first,
                        times,
                        queries,
                    )
                )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="clusterboard_bench")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    point_django_at(args.db_name)
    import django

    django.setup()
    from clusters.models import Cluster
    from monitoring.models import ClusterRollup
    from scorecards.models import KPI, Period

    period = Period.objects.filter(kind="quarter", reports__isnull=False).order_by("-pk")[0]
    kpi_id = (
        ClusterRollup.objects.filter(period=period, value__isnull=False)
        .order_by("kpi_id")
        .values_list("kpi_id", flat=True)
        .first()
    )
    kpi = KPI.objects.get(pk=kpi_id)
    say(
        f"database {args.db_name}: {Cluster.objects.count():,} clusters; KPI {kpi.code} "
        f"({kpi.aggregation}, {kpi.direction}) in {period}; {args.repeats} calls each"
    )
    timings = measure(kpi, period, args.repeats)
    for t in timings:
        say(
            f"  {t.role:8} {t.grouping:7} {'download' if t.every else 'page':8} "
            f"groups {t.groups:3} of {t.clusters:6,} clusters, {t.read:6,} read; "
            f"first {t.first:7.1f} ms, p50 {percentile(t.times, 0.5):7.1f}, "
            f"max {max(t.times):7.1f}; {t.queries} queries"
        )
    pages = [ms for t in timings if not t.every for ms in t.times]
    downloads = [ms for t in timings if t.every for ms in t.times]
    say(
        f"benchmarking_page_p50_ms={percentile(pages, 0.5):.1f} "
        f"benchmarking_page_max_ms={max(pages):.1f} "
        f"benchmarking_download_p50_ms={percentile(downloads, 0.5):.1f}"
    )


if __name__ == "__main__":
    main()
