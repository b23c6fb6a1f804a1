"""`manage.py seed_demo`: create or refresh the demo world; safe to run any number of times."""

from django.core.management.base import BaseCommand

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo clusters, BSOs, programs, committees and users."

    def handle(self, *args, **options):
        report = seed_demo()
        self.stdout.write(self.style.SUCCESS(report.summary()))
