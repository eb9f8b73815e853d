"""``motcua import-units``: load the administrative units shipped in data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.units.importers import ImportDataError, units_import


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and 3,321 communes of the two-level structure "
        "(01/7/2025, revised 25/7/2026), the old 63/696/10,035 structure and the "
        "old → new successions from data/vn-admin-units. Idempotent: a second run "
        "changes nothing. Checks every file before writing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder with the CSV files (default: DATA_DIR/vn-admin-units)",
        )

    def handle(self, *args, data_dir=None, verbosity=1, **options):
        data_dir = data_dir or Path(settings.DATA_DIR) / "vn-admin-units"
        try:
            result = units_import(data_dir)
        except ImportDataError as error:
            raise CommandError(str(error)) from None
        counts = result.counts
        if verbosity >= 1:
            errata = ", ".join(
                f"{official} (also {other})"
                for official, other in result.errata.items()
            )
            self.stdout.write(
                f"units: {result.created} created, {result.updated} updated; "
                f"renames: {result.renames_created} created, {result.renames_updated} updated; "
                f"successions: {result.successions_created} created, "
                f"{result.successions_updated} updated; official GSO 1027 codes used: "
                f"{errata or 'none'}"
            )
        # The figures the issue names come last, as the command's final word.
        listed = counts["old_communes"] - counts["old_communes_dissolved"]
        from_communes = counts["successions"] - counts["successions_from_districts"]
        self.stdout.write(
            f"old structure: provinces: {counts['old_provinces']}, "
            f"districts: {counts['old_districts']}, "
            f"communes: {counts['old_communes']} ({listed} listed + "
            f"{counts['old_communes_dissolved']} dissolved before 2025-03-01); "
            f"successions: {counts['successions']} ({from_communes} from communes + "
            f"{counts['successions_from_districts']} from island districts)"
        )
        self.stdout.write(
            f"provinces: {counts['provinces']}, communes: {counts['communes']}"
        )
