"""Print the demo accounts (as `make run` does)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo province's accounts and passwords."

    def handle(self, *args, **options):
        from motcua.demo.accounts import accounts_table

        self.stdout.write(accounts_table())
