"""
Build the demo province "Tỉnh Lâm Hải Giang" (idempotent): reference data if
missing, agencies and staff, the demo procedures, and a few hundred dossiers
replayed through the services.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.outbox import outbox_suppressed
from motcua.dossiers.models import Dossier
from motcua.units.constants import Structure, YearStatus
from motcua.units.models import AdministrativeUnit, CalendarYear


class Command(BaseCommand):
    help = "Build the demo province (idempotent): units, catalog, calendars, agencies, staff and dossiers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            type=int,
            default=240,
            help="how many dossiers to replay (first run only)",
        )
        parser.add_argument(
            "--days", type=int, default=30, help="over how many past days"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--skip-reference",
            action="store_true",
            help="do not import units and the catalog",
        )

    def handle(self, *args, **options):
        from motcua.demo.accounts import accounts_table
        from motcua.demo.activity import DemoActivity
        from motcua.demo.catalog import build_catalog
        from motcua.demo.review import build_review
        from motcua.demo.showcase import build_showcase, showcase_lines
        from motcua.demo.structure import build_structure

        quiet = options["verbosity"] == 0
        if not options["skip_reference"]:
            if (
                not AdministrativeUnit.objects.filter(
                    structure=Structure.TWO_LEVEL, level="commune"
                )
                .exclude(code__startswith="99")
                .exists()
            ):
                call_command("import_units", verbosity=options["verbosity"])
            if not CalendarYear.objects.filter(status=YearStatus.CONFIRMED).exists():
                call_command("import_holidays", verbosity=options["verbosity"])
            if not Procedure.objects.filter(code="1.004222").exists():
                call_command("import_catalog", verbosity=options["verbosity"])
        demo = build_structure()
        catalog = build_catalog(demo)
        if not quiet:
            self.stdout.write(
                f"Tỉnh Lâm Hải Giang: {len(demo.communes)} xã/phường, {len(demo.agencies)} cơ quan cấp tỉnh, "
                f"{len(catalog.versions)} thủ tục"
            )
        if Dossier.objects.exists():
            if not quiet:
                self.stdout.write("Hồ sơ mẫu đã có; không tạo thêm.")
        else:
            activity = DemoActivity(
                demo, catalog, now=timezone.now(), seed=options["seed"]
            )
            # One transaction: all or nothing, so a rerun never finds half a
            # demo. Synthetic history is neither synced nor notified.
            with transaction.atomic(), outbox_suppressed():
                outcome = activity.run(options["dossiers"], days=options["days"])
                showcase = build_showcase(demo, catalog, now=activity.now)
            if not quiet:
                statuses = ", ".join(
                    f"{k}: {v}" for k, v in sorted(outcome.statuses.items())
                )
                self.stdout.write(f"Hồ sơ mẫu: {outcome.created} ({statuses})")
                self.stdout.write(
                    f"Số hóa tại quầy: {outcome.scanned} thành phần"
                    + (
                        f"; câu chuyện mẫu: {showcase.scanned} thành phần quét, "
                        f"{showcase.reused} dùng lại từ Kho dữ liệu"
                        if showcase
                        else ""
                    )
                )
                if outcome.refused_actions:
                    refused = ", ".join(
                        f"{k}: {v}" for k, v in outcome.refused_actions.most_common()
                    )
                    self.stdout.write(
                        f"Thao tác bị quy tắc từ chối (đúng như thực tế): {refused}"
                    )
        build_review(demo, catalog)
        if not quiet:
            self.stdout.write("Tài khoản mẫu:\n" + accounts_table())
            self.stdout.write("\n".join(showcase_lines()))
