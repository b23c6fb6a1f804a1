#!/usr/bin/env python
"""Spreadsheet imports: a 1,000-row activity import and a full report upload, timed and counted.

    .venv/bin/python bench/imports.py                  # the embedded SQLite only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cb_imports \
        .venv/bin/python bench/imports.py              # SQLite, then PostgreSQL

For each database the benchmark builds its OWN one (SQLite: a file in the system's temporary
folder, removed after; PostgreSQL: `--db-name` on DATABASE_URL's server, dropped and created
again, left behind for inspection), migrates it, loads the demo data (`seed_demo`) and then,
in a child process on `config.settings.test`, measures as the demo's BSO staff user ("bso"):

- `activities_csv` and `activities_xlsx`: `activities_import` of a file of `--rows` valid
  activities (clusters the user's BSO supports, dates in its support, a third of the rows
  naming an action item of the cluster), the whole call (reading the file included): the
  median of `--repeat` runs, the queries of one run, and milliseconds per row. The rows a
  run saved are deleted before the next (not timed).
- `report`: `report_import` of the workbook of one of the user's editable reports (the one
  with the most KPIs; opened for the latest period begun when none is editable) with every
  value filled in and changed since the last run, so that every row is saved: median, queries.

Output: one line per measurement, and the last line a summary:
`sqlite_activities_csv_s=... sqlite_activities_csv_queries=... ... postgresql_report_s=...`.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(message: str) -> None:
    print(message, flush=True)


# --- The child: one database, measured ---------------------------------------------------------


def activity_rows(user, count: int) -> list[dict]:
    """Valid activity rows for the user: clusters their BSO supports, dates inside the support."""
    import datetime

    from django.utils import timezone

    from accounts.scopes import clusters_in_scope
    from bsos.models import ClusterSupport
    from clusters.models import ActionItem

    today = timezone.localdate()
    supports = ClusterSupport.objects.filter(
        bso_id=user.bso_id, cluster__in=clusters_in_scope(user), until__isnull=True
    ).select_related("cluster")
    places = [(s.cluster, max(s.since, today - datetime.timedelta(days=700))) for s in supports]
    items = {}
    for item in ActionItem.objects.filter(committee__cluster__in=[c for c, _s in places]):
        items.setdefault(item.committee.cluster_id, item.pk)
    types = ["workshop", "training", "trade_fair", "joint_purchasing", "diagnostic", "other"]
    rows = []
    for n in range(count):
        cluster, since = places[n % len(places)]
        span = max((today - since).days, 1)
        rows.append(
            {
                "cluster": cluster.code,
                "date": (since + datetime.timedelta(days=n % span)).isoformat(),
                "type": types[n % len(types)],
                "title": f"Bench activity {n}",
                "description": "Synthetic row of the import benchmark",
                "firms": str(n % 40),
                "women": str(n % 17),
                "men": str(n % 13),
                "cost_program": f"{(n * 37) % 5000}.50",
                "cost_firms": str((n * 11) % 900),
                "currency": "USD",
                "action_item": str(items[cluster.pk]) if n % 3 == 0 and cluster.pk in items else "",
                "outcome": "",
            }
        )
    return rows


def csv_bytes(rows: list[dict], keys: list[str]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    for row in rows:
        writer.writerow([row.get(key, "") for key in keys])
    return out.getvalue().encode()


def xlsx_bytes(rows: list[dict], keys: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(keys)
    for row in rows:
        sheet.append([row.get(key, "") for key in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class QueryCounter:
    """Counts the statements sent on the default connection (no log kept, so no cap)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapped.__exit__(*exc)


def timed(call, *, repeat: int, reset) -> dict:
    """Median seconds of `repeat` runs of call() (reset() between them), queries of the first."""
    seconds, queries = [], None
    for _n in range(repeat):
        with QueryCounter() as counter:
            started = time.perf_counter()
            outcome = call()
            seconds.append(time.perf_counter() - started)
        if queries is None:
            queries = counter.count
        reset(outcome)
    return {"s": round(statistics.median(seconds), 3), "queries": queries}


def measure_activities(user, rows: int, repeat: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.activities.imports import KEYS, activities_import
    from monitoring.models import Activity

    data = activity_rows(user, rows)
    figures = {}
    for kind, content in (("csv", csv_bytes(data, KEYS)), ("xlsx", xlsx_bytes(data, KEYS))):

        def run(kind=kind, content=content):
            file = SimpleUploadedFile(f"bench.{kind}", content)
            result = activities_import(file=file, user=user)
            if not result.ok:
                raise SystemExit(f"the bench file was refused: {[str(e) for e in result.errors]}")
            return result

        def reset(result):
            Activity.objects.filter(title__startswith="Bench activity").delete()

        figure = timed(run, repeat=repeat, reset=reset)
        figure["ms_per_row"] = round(1000 * figure["s"] / rows, 2)
        figure["rows"] = rows
        figures[f"activities_{kind}"] = figure
    return figures


def editable_report(user):
    from django.db.models import Count
    from django.utils import timezone

    from accounts.scopes import clusters_in_scope, scope_reports
    from clusters.models import Cluster
    from monitoring.models import Report
    from monitoring.reports.services import report_start
    from scorecards.models import Period

    reports = scope_reports(Report.objects.all(), user).filter(
        state__in=[Report.State.DRAFT, Report.State.RETURNED]
    )
    report = reports.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    if report is not None:
        return report
    cluster = clusters_in_scope(user).filter(status=Cluster.Status.ACTIVE).order_by("pk").first()
    period = (
        Period.objects.filter(starts_on__lte=timezone.localdate())
        .exclude(reports__cluster=cluster)
        .order_by("-ends_on")
        .first()
    )
    return report_start(cluster=cluster, period=period, user=user)


def filled_workbook(report, run: int) -> bytes:
    """The report's workbook with every value cell filled (run makes each upload differ)."""
    from openpyxl import load_workbook

    from monitoring.reports.workbook import (
        COLUMN_INDEX,
        FIRST_DATA_ROW,
        fields_for,
        report_rows,
        report_workbook,
    )
    from scorecards.models import KPI

    book = load_workbook(io.BytesIO(report_workbook(report)))
    sheet = book.worksheets[0]
    for row, measurement in enumerate(report_rows(report), start=FIRST_DATA_ROW):
        kpi = measurement.kpi
        number = 10 + (row + run) % 50
        cells = {}
        if kpi.is_ratio:
            cells = {"numerator": number, "denominator": number + 7}
        elif kpi.unit == KPI.Unit.YES_NO:
            cells = {"value": (row + run) % 2}
        elif kpi.by_sex:
            cells = {"value": 2 * number + 1, "value_women": number, "value_men": number + 1}
        else:
            cells = {"value": number}
        for key in fields_for(kpi):
            sheet.cell(row=row, column=COLUMN_INDEX[key], value=cells.get(key))
        sheet.cell(row=row, column=COLUMN_INDEX["note"], value=f"bench run {run}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure_report(user, repeat: int) -> dict:
    from monitoring.reports.upload import report_import

    report = editable_report(user)
    seconds, queries, rows = [], None, 0
    for run in range(repeat):
        content = filled_workbook(report, run)
        with QueryCounter() as counter:
            started = time.perf_counter()
            result = report_import(report=report, file=content, user=user)
            seconds.append(time.perf_counter() - started)
        if not result.ok:
            raise SystemExit(f"the bench workbook was refused: {[str(e) for e in result.errors]}")
        rows = result.saved
        if queries is None:
            queries = counter.count
    return {
        "report": {
            "s": round(statistics.median(seconds), 3),
            "queries": queries,
            "rows": rows,
            "ms_per_row": round(1000 * statistics.median(seconds) / max(rows, 1), 2),
        }
    }


def child(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0)
    user = User.objects.get(username="bso")
    figures = measure_activities(user, args.rows, args.repeat)
    figures.update(measure_report(user, args.repeat))
    print("FIGURES " + json.dumps(figures), flush=True)


# --- The parent: one child per database --------------------------------------------------------


def run_child(args, label: str, url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("REDIS_URL", None)  # tasks in-process, the local-memory cache
    command = [sys.executable, __file__, "--child", "--rows", str(args.rows)]
    command += ["--repeat", str(args.repeat)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        say(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"{label}: the measuring process failed")
    line = next(x for x in done.stdout.splitlines() if x.startswith("FIGURES "))
    say(f"  {label}: built and measured in {time.perf_counter() - started:.0f} s")
    return json.loads(line.removeprefix("FIGURES "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-name", default="cb_imports_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    from bench.world import database_url, recreate_database

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run_child(args, "sqlite", f"sqlite:///{folder}/bench.sqlite3")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        recreate_database(os.environ["DATABASE_URL"], args.db_name)
        url = database_url(os.environ["DATABASE_URL"], args.db_name)
        results["postgresql"] = run_child(args, "postgresql", url)
    summary = []
    for database, figures in results.items():
        for name, figure in figures.items():
            say(
                f"{database:10} {name:16} rows={figure['rows']:5} s={figure['s']:.3f} "
                f"queries={figure['queries']:6} ms_per_row={figure['ms_per_row']:.2f}"
            )
            summary.append(f"{database}_{name}_s={figure['s']}")
            summary.append(f"{database}_{name}_queries={figure['queries']}")
    say(" ".join(summary))


if __name__ == "__main__":
    main()
