"""
motcua create-api-token USER [--name N] [--portal] [--expires-days D]

Print a new API token for USER on stdout, and nothing else, so that a script
can capture it: ``TOKEN=$(motcua create-api-token portal-sim --portal)``.
The token is shown this once; only its SHA-256 is kept.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.services import api_token_create
from motcua.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Create an API token for a user and print it once on stdout."

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USER")
        parser.add_argument("--name", default="api", help="a label for the token")
        parser.add_argument(
            "--portal",
            action="store_true",
            help="the token may submit online dossiers (national portal connector)",
        )
        parser.add_argument(
            "--expires-days",
            type=int,
            metavar="D",
            help="the token stops working after D days (default: never)",
        )

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        days = options["expires_days"]
        if days is not None and days <= 0:
            raise CommandError("--expires-days must be a positive number of days.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            token, raw = api_token_create(
                user,
                options["name"],
                is_portal=options["portal"],
                expires_at=expires_at,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… created for {user.username}; "
            "it is not shown again, store it now."
        )
