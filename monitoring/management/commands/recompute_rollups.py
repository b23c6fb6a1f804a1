"""Recompute every rollup from source: one task per year, with progress."""

import time

from django.core.management.base import BaseCommand

from monitoring.models import RollupRun
from monitoring.rollups.runs import run_progress, run_start


class Command(BaseCommand):
    help = "Recompute every rollup from source (one Celery task per year) and show progress."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the tasks and return at once."
        )
        parser.add_argument("--timeout", type=int, default=3600, help="Seconds to wait at most.")

    def handle(self, *args, no_wait=False, timeout=3600, **options):
        run = run_start()
        self.stdout.write(f"Rollup run {run.pk}: {run.total} year tasks queued.")
        deadline = time.monotonic() + timeout
        while not no_wait:
            run.refresh_from_db()
            progress = run_progress(run)
            self.stdout.write(
                f"  {progress.done + progress.failed}/{progress.total} "
                f"({progress.percent}%), {progress.elapsed_s:.1f} s, {progress.failed} failed"
            )
            if run.status != RollupRun.Status.RUNNING:
                for error in progress.errors:
                    self.stderr.write(f"  {error['year']}: {error['error']}")
                break
            if time.monotonic() > deadline:
                self.stderr.write(f"Still running; see GET /api/v1/rollup-runs/{run.pk}/.")
                break
            time.sleep(1)
        if run.status == RollupRun.Status.FAILED:
            raise SystemExit(1)
