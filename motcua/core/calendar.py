"""
The working calendar and the legal due-time rules of DESIGN.md §4, as pure code.

No database access: ``WorkingCalendar`` is built from plain data (office
periods, days off, make-up Saturdays) by ``motcua.units.calendars`` and cached.
Every deadline of the system (the ``due-date`` command, dossiers, steps,
reports) goes through ``compute_due`` and the working-time helpers below.

Working time is measured as an offset: the number of working minutes from the
start of the calendar's range to an instant. Offsets are precomputed per day,
so adding working time or measuring it between two instants is a binary search,
not a walk through the days.

Legal basis: Decree 118/2025/NĐ-CP Art.17(3) (the clock starts at reception),
Art.18(2) (15:00 cut-off), Civil Code 2015 Art.147–148 (counting in days).
"""

import bisect
import calendar as _stdlib_calendar
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class DurationUnit(StrEnum):
    """How a procedure's legal duration is expressed (national catalog)."""

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (calendar days, Civil Code Art.148)
    CALENDAR_MONTHS = "calendar_months"  # tháng (Civil Code Art.147–148)
    IMMEDIATE = "immediate"  # trong ngày / ngay


class Convention(StrEnum):
    """How working days are counted (DESIGN.md §4)."""

    HOURS = "hours"  # N working days = N × day length, consumed period by period
    DAYS = "days"  # close of office on the N-th working day after reception


class Timeliness(StrEnum):
    EARLY = "early"  # trước hạn: at least one working day before the due time
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # quá hạn


# Lookups by value: cheaper than calling the enum on the hot path, and the
# members hash like their values, so both spellings are found.
_UNITS: dict[str, DurationUnit] = {unit.value: unit for unit in DurationUnit}
_CONVENTIONS: dict[str, Convention] = {c.value: c for c in Convention}


class CalendarRangeError(ValueError):
    """The computation needs a day outside the calendar's loaded years."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open office period [start, end) in minutes after midnight."""

    start: int
    end: int

    @classmethod
    def of(cls, start: time, end: time) -> "Period":
        return cls(start.hour * 60 + start.minute, end.hour * 60 + end.minute)


DEFAULT_PERIODS = (
    Period.of(time(7, 30), time(11, 30)),
    Period.of(time(13, 30), time(17, 30)),
)


def _to_local(moment: datetime) -> datetime:
    """Return ``moment`` on the local wall clock (naive instants already are)."""
    tzinfo = moment.tzinfo
    if tzinfo is None or tzinfo is LOCAL_TZ:
        return moment
    return moment.astimezone(LOCAL_TZ)


# timedelta(minutes=m) for every minute of a day, built once.
_MINUTES = tuple(timedelta(minutes=m) for m in range(24 * 60 + 1))


def _local_moment(day: date, minute: int) -> datetime:
    return datetime(
        day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=LOCAL_TZ
    )


class WorkingCalendar:
    """
    Working days and office hours over a range of years.

    A day is a working day when it is Monday–Friday and not a day off, or when
    it is a make-up working Saturday. Every working day has the same office
    periods (configurable per unit).
    """

    def __init__(
        self,
        *,
        first_year: int,
        last_year: int,
        days_off: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        periods: Sequence[Period] = DEFAULT_PERIODS,
        unconfirmed_years: Iterable[int] = (),
    ) -> None:
        if not periods:
            raise ValueError("A calendar needs at least one office period.")
        ordered = sorted(periods, key=lambda p: p.start)
        for previous, current in itertools.pairwise(ordered):
            if current.start < previous.end:
                raise ValueError("Office periods overlap.")
        if any(p.end <= p.start for p in ordered):
            raise ValueError("An office period must end after it starts.")
        self.periods: tuple[Period, ...] = tuple(ordered)
        self.day_minutes = sum(p.end - p.start for p in self.periods)
        # (start, end, length) tuples: attribute lookups cost on the hot path.
        self._bounds = tuple((p.start, p.end, p.end - p.start) for p in self.periods)
        self.first_year = first_year
        self.last_year = last_year
        self.unconfirmed_years = frozenset(unconfirmed_years)
        self._origin = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        off = {d.toordinal() for d in days_off}
        makeup = {d.toordinal() for d in makeup_workdays}
        working = []
        # cumulative[i] = working minutes before day i of the range begins.
        cumulative = [0]
        for ordinal in range(self._origin, end + 1):
            weekday = (ordinal + 6) % 7  # date.fromordinal(o).weekday(), cheaper
            is_working = (weekday < 5 and ordinal not in off) or ordinal in makeup
            working.append(is_working)
            cumulative.append(cumulative[-1] + (self.day_minutes if is_working else 0))
        self._working = working
        self._size = len(working)
        self._cumulative = cumulative
        # Local midnight of a day index, filled as due times are computed:
        # adding a timedelta to it is several times cheaper than datetime().
        self._midnights: dict[int, datetime] = {}
        # working_days[k] = index (in the range) of the k-th working day.
        self._working_days = [i for i, flag in enumerate(working) if flag]

    # -- days ------------------------------------------------------------
    def _index(self, day: date) -> int:
        index = day.toordinal() - self._origin
        if not 0 <= index < self._size:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the calendar ({self.first_year}–{self.last_year})."
            )
        return index

    def _date(self, index: int) -> date:
        return date.fromordinal(self._origin + index)

    def is_working_day(self, day: date) -> bool:
        return self._working[self._index(day)]

    def is_confirmed(self, day: date) -> bool:
        """Return False for a day in a year without an official schedule."""
        return day.year not in self.unconfirmed_years

    def next_working_day(self, day: date, *, include_self: bool = False) -> date:
        index = self._index(day)
        count_before = bisect.bisect_left(
            self._working_days, index + (0 if include_self else 1)
        )
        if count_before >= len(self._working_days):
            raise CalendarRangeError(
                f"No working day after {day.isoformat()} in the calendar."
            )
        return self._date(self._working_days[count_before])

    def nth_working_day_after(self, day: date, n: int) -> date:
        """Return the ``n``-th working day after ``day`` (``day`` not counted)."""
        index = self._index(day)
        position = bisect.bisect_right(self._working_days, index) + n - 1
        if position >= len(self._working_days):
            raise CalendarRangeError(
                f"{n} working days after {day.isoformat()} leave the calendar."
            )
        return self._date(self._working_days[position])

    def _moment(self, index: int, minute: int) -> datetime:
        """Return the local instant ``minute`` minutes after midnight of day ``index``."""
        midnight = self._midnights.get(index)
        if midnight is None:
            if not 0 <= index < self._size:
                return _local_moment(date.fromordinal(self._origin + index), minute)
            midnight = self._midnights[index] = _local_moment(self._date(index), 0)
        return midnight + _MINUTES[minute]

    def close_of_office(self, day: date) -> datetime:
        return self._moment(day.toordinal() - self._origin, self.periods[-1].end)

    def opening(self, day: date) -> datetime:
        return self._moment(day.toordinal() - self._origin, self.periods[0].start)

    # -- working time ----------------------------------------------------
    def offset(self, moment: datetime, *, cutoff: time | None = None) -> int:
        """
        Return the working minutes from the range start to ``moment``.

        An instant outside office hours has the offset of the next period's
        start. With ``cutoff``, an instant at or after the cut-off time of a
        working day counts from the start of the next working day.
        """
        local = _to_local(moment)
        index = local.toordinal() - self._origin
        if not 0 <= index < self._size:
            self._index(local.date())  # raises CalendarRangeError
        base = self._cumulative[index]
        if not self._working[index]:
            return base
        minute = local.hour * 60 + local.minute
        if cutoff is not None and minute >= cutoff.hour * 60 + cutoff.minute:
            return base + self.day_minutes
        worked = 0
        for start, end, length in self._bounds:
            if minute >= end:
                worked += length
            elif minute > start:
                worked += minute - start
                break
            else:
                break
        # Seconds inside a minute are ignored: deadlines are kept to the minute.
        return base + worked

    def moment_at(self, offset: int) -> datetime:
        """
        Return the instant at which ``offset`` working minutes have elapsed.

        When the offset falls on the boundary between two periods, the end of
        the earlier one is returned (17:30, not 07:30 the next day): that is
        the instant the time runs out.
        """
        if offset <= 0:
            raise CalendarRangeError("An offset must be positive to locate an instant.")
        index = bisect.bisect_left(self._cumulative, offset) - 1
        if index >= self._size:
            raise CalendarRangeError("The due time is beyond the calendar's last year.")
        remaining = offset - self._cumulative[index]
        for start, _end, length in self._bounds:
            if remaining <= length:
                return self._moment(index, start + remaining)
            remaining -= length
        raise AssertionError("unreachable: offset exceeds the day's working minutes")

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        return self.moment_at(self.offset(moment) + minutes)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Return the working minutes from ``start`` to ``end`` (negative if end < start)."""
        return self.offset(end) - self.offset(start)

    def start_of_clock(
        self, received_at: datetime, *, cutoff: time | None = None
    ) -> datetime:
        """Return the instant the clock starts (the next working minute after normalisation)."""
        return self.moment_at(self.offset(received_at, cutoff=cutoff) + 1) - timedelta(
            minutes=1
        )


def _amount(value: Decimal | int | float) -> int | Decimal:
    """
    Return a duration's value as an exact number, refusing negatives.

    Integers, the common case, stay integers; anything else goes through its
    decimal string, so that 0.1 working days is exactly 48 minutes.
    """
    if type(value) is int:
        amount: int | Decimal = value
    else:
        amount = Decimal(str(value))
        if not amount.is_finite():
            raise ValueError(f"{value!r} is not a duration.")
    if amount < 0:
        raise ValueError("A duration cannot be negative.")
    return amount


def _minutes(amount: int | Decimal, per_unit: int) -> int:
    if type(amount) is int:
        return amount * per_unit
    # round() on a Decimal rounds half to even, to the minute.
    return round(amount * per_unit)


def duration_minutes(
    calendar: WorkingCalendar, value: Decimal | int | float, unit: DurationUnit
) -> int:
    """Return the working minutes of a duration in working days or hours."""
    amount = value if type(value) is int else Decimal(str(value))
    if unit == DurationUnit.WORKING_DAYS:
        return _minutes(amount, calendar.day_minutes)
    if unit == DurationUnit.WORKING_HOURS:
        return _minutes(amount, 60)
    raise ValueError(f"{unit} is not measured in working time.")


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def compute_due(
    calendar: WorkingCalendar,
    received_at: datetime,
    value: Decimal | int | float,
    unit: DurationUnit | str,
    *,
    convention: Convention | str = Convention.HOURS,
    cutoff: time | None = None,
) -> datetime:
    """
    Return the legal due time of a duration started at ``received_at``.

    Rules (DESIGN.md §4): the start moves to the next working period when
    received outside office hours, and to the next working day at or after
    ``cutoff``. Convention ``hours`` consumes N × day length of working time;
    ``days`` ends at close of office on the N-th working day after the
    reception day. Calendar days and months end at close of office of the
    resulting day, moved to the next working day when needed (Civil Code
    Art.148). ``immediate`` ends at close of office on the start day.
    """
    unit = _UNITS.get(unit) or DurationUnit(unit)
    convention = _CONVENTIONS.get(convention) or Convention(convention)
    amount = _amount(value)
    # A zero duration is how the national catalog writes "within the day".
    if unit is DurationUnit.IMMEDIATE or amount == 0:
        start_offset = calendar.offset(received_at, cutoff=cutoff)
        return calendar.close_of_office(calendar.moment_at(start_offset + 1).date())
    if unit is DurationUnit.WORKING_HOURS or (
        unit is DurationUnit.WORKING_DAYS and convention is Convention.HOURS
    ):
        per_unit = 60 if unit is DurationUnit.WORKING_HOURS else calendar.day_minutes
        # At least one minute: a positive duration rounded to none would put
        # the due time at the end of the period before the reception.
        minutes = _minutes(amount, per_unit) or 1
        return calendar.moment_at(calendar.offset(received_at, cutoff=cutoff) + minutes)
    reception_day = _to_local(received_at).date()
    if unit is DurationUnit.WORKING_DAYS:
        # Civil Code Art.147(1): the reception day is not counted. A fraction
        # of a day cannot end "at close of office", so it rounds up.
        last_day = calendar.nth_working_day_after(reception_day, math.ceil(amount))
        return calendar.close_of_office(last_day)
    if unit is DurationUnit.CALENDAR_DAYS:
        target = reception_day + timedelta(days=math.ceil(amount))
    else:
        target = _add_months(reception_day, math.ceil(amount))
    return calendar.close_of_office(
        calendar.next_working_day(target, include_self=True)
    )


def extend_by_working_time(
    calendar: WorkingCalendar,
    due_at: datetime,
    paused_from: datetime,
    paused_until: datetime,
) -> datetime:
    """
    Return ``due_at`` pushed back by the working time between the two instants.

    Used for waits that do not count (financial obligations, sector-excluded
    intervals): Decree 118 and sectoral law exclude them from the duration.
    """
    lost = calendar.working_minutes_between(paused_from, paused_until)
    if lost <= 0:
        return due_at
    return calendar.moment_at(calendar.offset(due_at) + lost)


def classify(
    calendar: WorkingCalendar, finished_at: datetime, due_at: datetime
) -> Timeliness:
    """
    Classify a finish against its due time.

    On time if finished at or before the due time; early when at least one full
    working day (the calendar's day length) before it; late otherwise.
    """
    if finished_at > due_at:
        return Timeliness.LATE
    if calendar.working_minutes_between(finished_at, due_at) >= calendar.day_minutes:
        return Timeliness.EARLY
    return Timeliness.ON_TIME
