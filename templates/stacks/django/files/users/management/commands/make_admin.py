"""`python manage.py make_admin EMAIL`: let a registered user change or delete any row."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from users.models import User


class Command(BaseCommand):
    help = "Make the registered user with this email an admin (or, with --revoke, not)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="the email the user registered with")
        parser.add_argument("--revoke", action="store_true", help="take the admin right away")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        admin = not options["revoke"]
        if not User.objects.filter(email=email).update(is_admin=admin):
            msg = f"No user has the email {email!r}: register it first (POST /auth/register)"
            raise CommandError(msg)
        self.stdout.write(f"{email} is {'now' if admin else 'no longer'} an admin")
