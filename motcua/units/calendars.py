"""
Build the pure ``WorkingCalendar`` of a unit from the database, and cache it.

The official schedule of days off (``CalendarDay`` rows, loaded from
data/vn-holidays/ by ``motcua import-holidays``) is the source of truth. How a
year is built depends on its ``CalendarYear``:

- confirmed: the national rows of that year are the whole schedule;
- proposed, or no ``CalendarYear`` at all: the statutory holidays proposed by
  python-holidays, overridden date by date by any national row of that year
  (``is_day_off`` true: off; false: working; empty: the weekly rule), and the
  year is flagged unconfirmed so that callers can warn.

Rows of a unit's own calendar then override the national answer for that unit.
A year outside every loaded schedule is therefore never silently a year
without holidays.

Calendars are cached per process for ``CACHE_SECONDS``; the services that edit
calendar data call ``invalidate()``, and other processes catch up within that
time.
"""

import functools
import threading
import time as _time
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from django.db.models import Max
from django.utils import timezone

from motcua.core.calendar import DEFAULT_PERIODS, Period, WorkingCalendar

from .constants import YearStatus
from .models import Agency, CalendarDay, CalendarYear, WorkCalendar

# First year a deadline can be computed for: historical dossiers of the
# synthetic province go back ten years.
FIRST_YEAR = 2015
YEARS_AHEAD = 3
CACHE_SECONDS = 60

_DEFAULT = "default"
_cache: dict[int | str, tuple[float, WorkingCalendar]] = {}
_lock = threading.Lock()


@functools.cache
def _statutory(year: int) -> tuple[Mapping[date, str], frozenset[date]]:
    # Imported here: only a calendar build needs it, and it is slow to import.
    import holidays

    proposal = holidays.country_holidays("VN", years=year, language="vi")
    # weekend_workdays also lists a few days of other years: keep this year's.
    makeup = frozenset(d for d in proposal.weekend_workdays if d.year == year)
    return MappingProxyType(dict(proposal)), makeup


def statutory_holidays(year: int) -> Mapping[date, str]:
    """
    Return the statutory holidays of ``year`` with their Vietnamese names,
    as python-holidays proposes them (weekends included, observed days added).
    """
    return _statutory(year)[0]


def statutory_days_off(year: int) -> set[date]:
    """
    Return the weekdays off of ``year`` proposed from the statutory holidays.

    Only a proposal: python-holidays guesses swaps and may include days that
    the Government did not decide (e.g. 24/11 before the law was amended).
    """
    return {day for day in statutory_holidays(year) if day.weekday() < 5}


def statutory_makeup_workdays(year: int) -> set[date]:
    """Return the make-up working Saturdays of ``year`` known to python-holidays."""
    return set(_statutory(year)[1])


def invalidate() -> None:
    """Drop cached calendars (called after an administrator edits one)."""
    with _lock:
        _cache.clear()


def _last_year() -> int:
    last = timezone.localdate().year + YEARS_AHEAD
    loaded = CalendarYear.objects.aggregate(last=Max("year"))["last"]
    return max(last, loaded or last, FIRST_YEAR + 1)


def _apply(day: date, answer: bool | None, off: set[date], makeup: set[date]) -> None:
    """Make ``day`` off, working, or back to the weekly rule (``answer`` None)."""
    off.discard(day)
    makeup.discard(day)
    if answer is True:
        off.add(day)
    elif answer is False:
        makeup.add(day)


def _build(calendar: WorkCalendar | None) -> WorkingCalendar:
    last_year = _last_year()
    statuses = dict(CalendarYear.objects.values_list("year", "status"))
    confirmed = {y for y, s in statuses.items() if s == YearStatus.CONFIRMED}
    days_off: set[date] = set()
    makeup: set[date] = set()
    unconfirmed = []
    for year in range(FIRST_YEAR, last_year + 1):
        if year in confirmed:
            continue
        days_off |= statutory_days_off(year)
        makeup |= statutory_makeup_workdays(year)
        unconfirmed.append(year)
    # National rows first, then the unit's own rows, each overriding what is
    # there (not sorted in SQL: NULLs sort first on SQLite, last on PostgreSQL).
    national = CalendarDay.objects.filter(calendar__isnull=True)
    own = (
        CalendarDay.objects.filter(calendar=calendar)
        if calendar is not None
        else CalendarDay.objects.none()
    )
    for rows in (national, own):
        for day, answer in rows.values_list("date", "is_day_off"):
            _apply(day, answer, days_off, makeup)
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


def _cached(key: int | str) -> WorkingCalendar | None:
    with _lock:
        cached = _cache.get(key)
    if cached and _time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    return None


def _store(key: int | str, built: WorkingCalendar) -> WorkingCalendar:
    with _lock:
        _cache[key] = (_time.monotonic(), built)
    return built


def get_calendar(calendar: WorkCalendar | None = None) -> WorkingCalendar:
    """Return the working calendar of ``calendar`` (the province default if None)."""
    if calendar is not None:
        return _cached(calendar.pk) or _store(calendar.pk, _build(calendar))
    # The default is cached under its own key: resolving it costs a query.
    built = _cached(_DEFAULT)
    if built is None:
        default = WorkCalendar.objects.filter(is_default=True).first()
        built = _store(_DEFAULT, _build(default))
    return built


def calendar_for_agency(agency: Agency | None) -> WorkingCalendar:
    """Return the calendar of ``agency``, inherited from its parents, else the default."""
    current = agency
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        if current.calendar_id is not None:
            return get_calendar(current.calendar)
        seen.add(current.pk)
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
