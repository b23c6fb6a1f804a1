"""`manage.py demo_logins`: one line per role with the demo username, password and scope."""

from django.core.management.base import BaseCommand

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope
from demo.data import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins (run seed_demo first)."

    def handle(self, *args, **options):
        users = User.objects.in_bulk([row.username for row in DEMO_USERS], field_name="username")
        self.stdout.write("Demo logins (role, username, password, what they see):")
        for row in DEMO_USERS:
            user = users.get(row.username)
            if user is None:
                scope = "not created yet: run `manage.py seed_demo`"
            else:
                scope = f"{clusters_in_scope(user).count()} clusters"
            self.stdout.write(
                f"  {Role(row.role).label:<16} {row.username:<9} {DEMO_PASSWORD}  "
                f"{row.sees} ({scope})"
            )
        self.stdout.write(
            "  The administrator signs in with a code too: the first sign-in shows a key (and a "
            "QR code) to add to an authenticator app."
        )
