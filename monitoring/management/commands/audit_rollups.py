"""Recompute every rollup from source without writing, and report rows that differ."""

from django.core.management.base import BaseCommand

from monitoring.rollups.engine import audit


class Command(BaseCommand):
    help = "Recompute rollups from source without writing; list stored rows that differ."

    def add_arguments(self, parser):
        parser.add_argument("--kpi", type=int, action="append", help="Only this KPI id.")

    def handle(self, *args, kpi=None, **options):
        differences = audit(kpi_ids=kpi)
        for line in differences:
            self.stdout.write(line)
        if differences:
            self.stderr.write(f"{len(differences)} rollup rows differ from their source.")
            raise SystemExit(1)
        self.stdout.write("Every rollup row matches its source.")
