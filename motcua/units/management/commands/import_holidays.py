"""``motcua import-holidays``: load an official schedule of days off."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.units.importers import ImportDataError, holidays_import

DEFAULT_FILE = "vn_public_sector_days_off_2024_2026.csv"


class Command(BaseCommand):
    help = (
        "Load the official public-sector days off and make-up Saturdays into the "
        "national calendar and mark the years they cover confirmed. Without "
        f"--file: DATA_DIR/vn-holidays/{DEFAULT_FILE} (2024–2026). With --file: a "
        "new year's official schedule in the same CSV format (columns date, kind, "
        "is_non_working_day, and optionally weekday, name_vi, legal_basis, "
        "source_url, note). A pending_holiday row with is_non_working_day empty "
        "(24/11 Ngày Văn hóa Việt Nam) stays a working day until an administrator "
        "decides in the admin; loading again never resets that decision. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"CSV file (default: DATA_DIR/vn-holidays/{DEFAULT_FILE})",
        )

    def handle(self, *args, file=None, **options):
        path = file or Path(settings.DATA_DIR) / "vn-holidays" / DEFAULT_FILE
        try:
            result = holidays_import(path)
        except ImportDataError as error:
            raise CommandError(str(error)) from None
        years = ", ".join(str(y) for y in result.years)
        self.stdout.write(
            f"days: {result.created} created, {result.updated} updated, "
            f"{result.removed} removed; confirmed years: {years}"
        )
        if result.kept:
            kept = ", ".join(d.isoformat() for d in result.kept)
            self.stdout.write(
                f"kept (added by an administrator, not in the file): {kept}"
            )
