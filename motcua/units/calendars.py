"""
Build the pure ``WorkingCalendar`` of a unit from the database, and cache it.

The official schedule of days off (``CalendarDay`` rows, loaded from
data/vn-holidays/) is the source of truth. A year with no official schedule is
proposed from the statutory holidays (python-holidays) and flagged unconfirmed,
so that deadlines can still be computed and the user is warned.
"""

import threading
import time as _time
from datetime import date

from django.db.models import Q
from django.utils import timezone

from motcua.core.calendar import DEFAULT_PERIODS, Period, WorkingCalendar

from .constants import CalendarDayKind, YearStatus
from .models import Agency, CalendarDay, CalendarYear, WorkCalendar

# First year a deadline can be computed for: historical dossiers of the
# synthetic province go back ten years.
FIRST_YEAR = 2015
YEARS_AHEAD = 3
CACHE_SECONDS = 60

_cache: dict[int | None, tuple[float, WorkingCalendar]] = {}
_lock = threading.Lock()


def statutory_days_off(year: int) -> set[date]:
    """
    Return the weekdays off of ``year`` proposed from the statutory holidays.

    Only a proposal: python-holidays guesses swaps and may include days that
    the Government did not decide (e.g. 24/11 before the law was amended).
    """
    import holidays

    proposal = holidays.country_holidays("VN", years=year)
    return {day for day in proposal if day.weekday() < 5}


def invalidate() -> None:
    """Drop cached calendars (called after an administrator edits one)."""
    with _lock:
        _cache.clear()


def _build(calendar: WorkCalendar | None) -> WorkingCalendar:
    last_year = max(timezone.localdate().year + YEARS_AHEAD, FIRST_YEAR + 1)
    rows = CalendarDay.objects.filter(Q(calendar__isnull=True) | Q(calendar=calendar))
    official_years = set(
        CalendarYear.objects.filter(status=YearStatus.CONFIRMED).values_list(
            "year", flat=True
        )
    )
    days_off: set[date] = set()
    makeup: set[date] = set()
    # Calendar-specific rows win over national rows of the same date.
    by_date: dict[date, CalendarDay] = {}
    for row in rows.order_by("calendar_id"):
        if row.calendar_id is None or row.calendar_id == getattr(calendar, "pk", None):
            by_date[row.date] = row
    for row in by_date.values():
        if row.kind == CalendarDayKind.MAKEUP_WORKDAY:
            makeup.add(row.date)
        elif row.is_day_off:
            days_off.add(row.date)
    years_with_rows = {d.year for d, row in by_date.items() if row.calendar_id is None}
    unconfirmed = []
    for year in range(FIRST_YEAR, last_year + 1):
        if year in official_years or year in years_with_rows:
            continue
        days_off |= statutory_days_off(year)
        unconfirmed.append(year)
    periods = (
        tuple(Period.of(p.start, p.end) for p in calendar.periods.all())
        if calendar is not None
        else ()
    ) or DEFAULT_PERIODS
    return WorkingCalendar(
        first_year=FIRST_YEAR,
        last_year=last_year,
        days_off=days_off,
        makeup_workdays=makeup,
        periods=periods,
        unconfirmed_years=unconfirmed,
    )


def get_calendar(calendar: WorkCalendar | None = None) -> WorkingCalendar:
    """Return the working calendar of ``calendar`` (the province default if None)."""
    if calendar is None:
        calendar = WorkCalendar.objects.filter(is_default=True).first()
    key = calendar.pk if calendar is not None else None
    now = _time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    built = _build(calendar)
    with _lock:
        _cache[key] = (now, built)
    return built


def calendar_for_agency(agency: Agency | None) -> WorkingCalendar:
    """Return the calendar of ``agency``, inherited from its parents, else the default."""
    current = agency
    while current is not None:
        if current.calendar_id is not None:
            return get_calendar(current.calendar)
        current = current.parent
    return get_calendar(None)


def calendar_by_code(code: str | None) -> WorkingCalendar:
    """
    Return the calendar named by ``code``: a calendar code, or an agency's
    electronic identifier. Raise LookupError when nothing matches.
    """
    if not code:
        return get_calendar(None)
    calendar = WorkCalendar.objects.filter(code=code).first()
    if calendar is not None:
        return get_calendar(calendar)
    agency = Agency.objects.filter(codes__code=code).first()
    if agency is not None:
        return calendar_for_agency(agency)
    raise LookupError(code)
