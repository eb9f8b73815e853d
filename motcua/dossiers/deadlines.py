"""
Deadline arithmetic for dossiers and steps, on top of the pure working calendar.

The due times printed on Mẫu 01, shown in queues and used in reports all come
from here, and here only from ``motcua.core.calendar`` — the same code the
``motcua due-date`` command runs.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from motcua.core.calendar import (
    DurationUnit,
    Timeliness,
    WorkingCalendar,
    classify,
    compute_due,
    duration_minutes,
)
from motcua.units.calendars import calendar_for_agency

# Decree 118 Art.17(2): online dossiers are accepted or sent back within 8
# working hours; staff are alerted within 2 hours.
ONLINE_ACCEPTANCE_MINUTES = 8 * 60
ONLINE_ALERT_MINUTES = 2 * 60
# Decree 118 Art.19(5): processing-phase supplement within 3 working days of
# reception; closure after 15 (calendar) days without a supplement.
SUPPLEMENT_WINDOW_DAYS = 3
SUPPLEMENT_RESPONSE_DAYS = 15
# Decree 118 Art.23(1): a result is corrected within 3 working days.
CORRECTION_DAYS = 3


def calendar_of(dossier) -> WorkingCalendar:
    """Return the calendar of the dossier's competent agency (DESIGN.md §4)."""
    return calendar_for_agency(dossier.competent_agency)


def legal_due(
    calendar: WorkingCalendar,
    *,
    start: datetime,
    value: Decimal | None,
    unit: str,
    cutoff=None,
) -> datetime:
    """Return the due time of the legal duration counted from ``start``."""
    if not unit:
        raise ValueError("The procedure version has no duration.")
    return compute_due(
        calendar,
        start,
        value if value is not None else 0,
        unit,
        convention=settings.MOTCUA_DEADLINE_CONVENTION,
        cutoff=cutoff,
    )


def dossier_legal_due(
    calendar: WorkingCalendar, dossier, *, start: datetime
) -> datetime:
    return legal_due(
        calendar,
        start=start,
        value=dossier.duration_value,
        unit=dossier.duration_unit,
        cutoff=dossier.cutoff_time,
    )


def step_minutes(calendar: WorkingCalendar, value: Decimal, unit: str) -> int:
    """Return a step allotment in working minutes."""
    return duration_minutes(calendar, value, DurationUnit(unit))


def step_due(
    calendar: WorkingCalendar, *, started_at: datetime, minutes: int
) -> datetime:
    return calendar.add_working_minutes(started_at, minutes)


def acceptance_due(calendar: WorkingCalendar, submitted_at: datetime) -> datetime:
    return calendar.add_working_minutes(submitted_at, ONLINE_ACCEPTANCE_MINUTES)


def supplement_respond_by(requested_at: datetime) -> datetime:
    return requested_at + timedelta(days=SUPPLEMENT_RESPONSE_DAYS)


def within_supplement_window(
    calendar: WorkingCalendar, *, received_at: datetime, now: datetime
) -> bool:
    return (
        calendar.working_minutes_between(received_at, now)
        <= SUPPLEMENT_WINDOW_DAYS * calendar.day_minutes
    )


def may_still_extend(
    calendar: WorkingCalendar, *, due_at: datetime, now: datetime
) -> bool:
    """
    Return True while an extension is still allowed: at least one working day
    before the due time (Decree 118 Art.19(6) "chậm nhất 01 ngày trước hạn").
    """
    return calendar.working_minutes_between(now, due_at) >= calendar.day_minutes


def correction_due(calendar: WorkingCalendar, reported_at: datetime) -> datetime:
    return calendar.add_working_minutes(
        reported_at, CORRECTION_DAYS * calendar.day_minutes
    )


def timeliness(
    calendar: WorkingCalendar,
    *,
    finished_at: datetime,
    due_at: datetime | None,
    counted_late: bool,
) -> str:
    """
    Classify a finish. A dossier counted late by rule (e.g. more than one
    supplement request, Decision 766) is late whatever its times.
    """
    if counted_late:
        return Timeliness.LATE.value
    if due_at is None:
        return ""
    return classify(calendar, finished_at, due_at).value
