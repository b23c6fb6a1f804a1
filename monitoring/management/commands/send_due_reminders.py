"""Send today's reminders now (reports due within a week or overdue, reports to review), as the
daily job does: notifications, e-mailed at once or in the digest; none twice the same day."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring.reports.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders of reports due or overdue (and to review) now, as the daily job does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="The day to remind as (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, date=None, **options):
        day = date or timezone.localdate()
        people = reminders_send(today=day)
        self.stdout.write(f"Reminders of {day.isoformat()}: {people} people notified.")
