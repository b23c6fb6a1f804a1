"""`manage.py two_factor_reset <username>`: forget a user's authenticator (a lost phone)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.signin.two_factor import devices_forget


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app: at their next sign-in they set up a new one. "
        "(Another administrator can do the same in the admin site.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        count = devices_forget(user=user)
        self.stdout.write(f"{username}: {count} authenticator(s) removed.")
