"""Print the demo accounts and the scripted story's dossiers (as `make run` does)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo province's accounts and passwords."

    def handle(self, *args, **options):
        from motcua.demo.accounts import accounts_table
        from motcua.demo.showcase import showcase_lines

        self.stdout.write(accounts_table())
        lines = showcase_lines()
        if lines:
            self.stdout.write("\n" + "\n".join(lines))
