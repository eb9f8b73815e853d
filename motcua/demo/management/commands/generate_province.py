"""
Fill the database with a synthetic province workload (issue 8): N dossiers
over Y years with their events, steps, hand-overs, supplements and ratings,
written in bulk. See ``motcua.demo.synthetic``.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.units.constants import Structure, YearStatus
from motcua.units.models import AdministrativeUnit, CalendarYear


def ensure_demo_province(verbosity: int = 1):
    """Reference data, the demo structure and catalog (seed-demo without the replay)."""
    from motcua.demo.catalog import build_catalog
    from motcua.demo.structure import build_structure

    if (
        not AdministrativeUnit.objects.filter(
            structure=Structure.TWO_LEVEL, level="commune"
        )
        .exclude(code__startswith="99")
        .exists()
    ):
        call_command("import_units", verbosity=verbosity)
    if not CalendarYear.objects.filter(status=YearStatus.CONFIRMED).exists():
        call_command("import_holidays", verbosity=verbosity)
    if not Procedure.objects.filter(code="1.004222").exists():
        call_command("import_catalog", verbosity=verbosity)
    demo = build_structure()
    return demo, build_catalog(demo)


class Command(BaseCommand):
    help = "Generate a synthetic workload for the demo province: N dossiers over Y years, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--years", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        from motcua.demo.synthetic import ProvinceGenerator

        if options["dossiers"] < 1:
            raise CommandError("--dossiers must be at least 1.")
        if not 0 < options["years"] <= 2:
            # The official calendars cover 2024 onwards; older years would be
            # computed from the statutory holidays only.
            raise CommandError("--years must be more than 0 and at most 2.")
        verbosity = options["verbosity"]
        demo, catalog = ensure_demo_province(verbosity)
        generator = ProvinceGenerator(
            demo, catalog, now=timezone.now(), seed=options["seed"]
        )

        def progress(done: int, seconds: float) -> None:
            if verbosity and done < 0:
                self.stdout.write(f"  {-done} indexes rebuilt in {seconds:.1f} s")
            elif verbosity:
                rate = done / seconds if seconds else 0
                self.stdout.write(
                    f"  {done:>10,} dossiers  {seconds:7.1f} s  {rate:8,.0f}/s"
                )

        outcome = generator.run(
            options["dossiers"], years=options["years"], progress=progress
        )
        if verbosity:
            self.stdout.write(
                f"{outcome.dossiers:,} dossiers in {outcome.seconds:.1f} s "
                f"({outcome.dossiers / outcome.seconds:,.0f}/s)"
            )
            for table, count in sorted(outcome.rows.items()):
                self.stdout.write(f"  {table:<32} {count:>12,}")
            for title, counts in (
                ("status", outcome.statuses),
                ("channel", outcome.channels),
                ("timeliness", outcome.timeliness),
            ):
                total = sum(counts.values()) or 1
                shares = ", ".join(
                    f"{k} {v * 100 / total:.1f}%" for k, v in sorted(counts.items())
                )
                self.stdout.write(f"  {title}: {shares}")
