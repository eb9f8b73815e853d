"""``motcua due-date``: show the deadline rule at work on a unit's calendar."""

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.calendar import (
    LOCAL_TZ,
    CalendarRangeError,
    Convention,
    DurationUnit,
    compute_due,
)
from motcua.units import calendars

UNITS = ", ".join(unit.value for unit in DurationUnit)
CONVENTIONS = ", ".join(convention.value for convention in Convention)


class Command(BaseCommand):
    help = (
        "Print the due time (YYYY-MM-DDTHH:MM, Asia/Ho_Chi_Minh) of a duration "
        "started at a reception time, with the very code dossiers use (DESIGN.md "
        "§4). Example: motcua due-date --received 2026-02-12T16:00 --duration 3 "
        "--unit working_days → 2026-02-24T16:00. The calendar is the province's "
        "default, or --calendar (a calendar code or an agency's electronic id). "
        "Years with an official schedule loaded (motcua import-holidays) use it; "
        "any other year, including every year before import-holidays has run, "
        "uses the statutory holidays proposed by python-holidays, and a warning "
        "on stderr says the result is unconfirmed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--received",
            help="reception time, YYYY-MM-DDTHH:MM (local time unless an offset is given)",
        )
        parser.add_argument(
            "--duration",
            help="the duration's value, e.g. 3 or 0.5 (not needed with --unit immediate)",
        )
        parser.add_argument("--unit", help=f"one of: {UNITS}")
        parser.add_argument(
            "--convention",
            help=f"one of: {CONVENTIONS} (default: the MOTCUA_DEADLINE_CONVENTION setting)",
        )
        parser.add_argument(
            "--cutoff",
            help="HH:MM; received at or after it, the clock starts the next working day",
        )
        parser.add_argument(
            "--calendar",
            help="calendar code or agency electronic id (default: the province's)",
        )

    def handle(self, *args, **options):
        received = _received(options["received"])
        unit = _choice("--unit", options["unit"], DurationUnit)
        duration = _duration(options["duration"], unit)
        convention = _choice(
            "--convention",
            options["convention"] or settings.MOTCUA_DEADLINE_CONVENTION,
            Convention,
        )
        cutoff = _cutoff(options["cutoff"])
        try:
            calendar = calendars.calendar_by_code(options["calendar"])
        except LookupError:
            raise CommandError(
                f"--calendar: no calendar or agency has the code {options['calendar']!r}"
            ) from None
        try:
            due = compute_due(
                calendar, received, duration, unit, convention=convention, cutoff=cutoff
            )
        except CalendarRangeError as error:
            raise CommandError(str(error)) from None
        due = due.astimezone(LOCAL_TZ)
        unconfirmed = [
            year
            for year in range(received.year, due.year + 1)
            if year in calendar.unconfirmed_years
        ]
        if unconfirmed:
            years = ", ".join(str(y) for y in unconfirmed)
            self.stderr.write(
                f"warning: no official schedule of days off for {years}; the due time "
                "uses the statutory holidays proposed by python-holidays "
                "(load the official schedule with: motcua import-holidays --file FILE)"
            )
        if options["verbosity"] >= 2:
            start = calendar.start_of_clock(received, cutoff=cutoff)
            self.stderr.write(
                f"clock starts {start:%Y-%m-%dT%H:%M}; convention {convention}; "
                f"{calendar.day_minutes} working minutes a day"
            )
        self.stdout.write(f"{due:%Y-%m-%dT%H:%M}")


def _received(value: str | None) -> datetime:
    if not value:
        raise CommandError("--received is required (YYYY-MM-DDTHH:MM)")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--received: {value!r} is not a date and time (YYYY-MM-DDTHH:MM)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


def _choice[E: StrEnum](option: str, value: str | None, choices: type[E]) -> E:
    allowed = ", ".join(choice.value for choice in choices)
    if not value:
        raise CommandError(f"{option} is required (one of: {allowed})")
    try:
        return choices(value.strip())
    except ValueError:
        raise CommandError(
            f"{option}: unknown value {value!r} (one of: {allowed})"
        ) from None


def _duration(value: str | None, unit: DurationUnit) -> int | Decimal:
    if value is None or not value.strip():
        if unit == DurationUnit.IMMEDIATE:
            return 0
        raise CommandError("--duration is required, e.g. --duration 3")
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise CommandError(f"--duration: {value!r} is not a number") from None
    if not amount.is_finite():
        raise CommandError(f"--duration: {value!r} is not a number")
    if amount < 0:
        raise CommandError(f"--duration: a duration cannot be negative ({value})")
    return int(amount) if amount == amount.to_integral_value() else amount


def _cutoff(value: str | None) -> time | None:
    if value is None:
        return None
    try:
        cutoff = time.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"--cutoff: {value!r} is not a time (HH:MM)") from None
    if cutoff.second or cutoff.microsecond or cutoff.tzinfo:
        raise CommandError(f"--cutoff: {value!r} is not a time (HH:MM)")
    return cutoff
