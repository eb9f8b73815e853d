"""List (or delete) stored files that no row refers to."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from motcua.documents.services import stored_files_orphaned


class Command(BaseCommand):
    help = (
        "List files under MEDIA_ROOT/documents that no stored-file row refers to "
        "(left by a transaction rolled back after writing); --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete them")

    def handle(self, *args, delete=False, **options):
        names = stored_files_orphaned()
        for name in names:
            if delete:
                default_storage.delete(name)
            self.stdout.write(("deleted " if delete else "") + name)
        self.stdout.write(f"{len(names)} orphaned file(s).")
