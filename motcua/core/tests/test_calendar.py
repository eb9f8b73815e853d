"""
The working calendar and the due-time rules of DESIGN.md §4, on the official
2024–2026 schedule (data/vn-holidays), with expectations worked out by hand.

Office hours are the demo province's: 07:30–11:30 and 13:30–17:30 (8 hours).
"""

import csv
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.core.calendar import (
    LOCAL_TZ,
    CalendarRangeError,
    Convention,
    DurationUnit,
    Period,
    Timeliness,
    WorkingCalendar,
    classify,
    compute_due,
    duration_minutes,
    extend_by_working_time,
)

DATA = Path(__file__).resolve().parents[3] / "data" / "vn-holidays"
DAYS_OFF_CSV = DATA / "vn_public_sector_days_off_2024_2026.csv"
BREAKS_CSV = DATA / "vn_public_sector_breaks_2024_2026.csv"

WD = DurationUnit.WORKING_DAYS
WH = DurationUnit.WORKING_HOURS
CD = DurationUnit.CALENDAR_DAYS
CM = DurationUnit.CALENDAR_MONTHS
NOW = DurationUnit.IMMEDIATE
HOURS = Convention.HOURS
DAYS = Convention.DAYS
EARLY, ON_TIME, LATE = Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE
CUTOFF = time(15, 0)


def at(text: str) -> datetime:
    """Return the local instant written as 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def official_schedule() -> tuple[list[date], list[date]]:
    """Return (days off, make-up workdays) of the official CSV, by its own rule."""
    with DAYS_OFF_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    off = [
        date.fromisoformat(r["date"]) for r in rows if r["is_non_working_day"] == "1"
    ]
    makeup = [
        date.fromisoformat(r["date"]) for r in rows if r["kind"] == "makeup_workday"
    ]
    return off, makeup


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    off, makeup = official_schedule()
    return WorkingCalendar(
        first_year=2023,
        last_year=2030,
        days_off=off,
        makeup_workdays=makeup,
        unconfirmed_years=[2023, 2027, 2028, 2029, 2030],
    )


# --------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------

WORKING_DAYS = [
    # 2024
    ("2024-01-01", False),  # New Year, Monday
    ("2024-01-02", True),
    ("2024-02-07", True),  # last day before Tết
    ("2024-02-08", False),  # Tết Thu 8 – Wed 14
    ("2024-02-09", False),
    ("2024-02-12", False),
    ("2024-02-13", False),  # compensatory
    ("2024-02-14", False),  # compensatory
    ("2024-02-15", True),
    ("2024-04-18", False),  # Hùng Kings, Thursday
    ("2024-04-26", True),
    ("2024-04-29", False),  # swapped with Saturday 4/5
    ("2024-04-30", False),
    ("2024-05-01", False),
    ("2024-05-02", True),
    ("2024-05-04", True),  # make-up Saturday
    ("2024-05-05", False),  # its Sunday is not
    ("2024-08-30", True),
    ("2024-09-02", False),
    ("2024-09-03", False),
    ("2024-09-04", True),
    # 2025
    ("2025-01-01", False),
    ("2025-01-24", True),
    ("2025-01-27", False),  # Tết, weekdays 27–31/1
    ("2025-01-31", False),
    ("2025-02-03", True),
    ("2025-04-07", False),  # Hùng Kings, Monday
    ("2025-04-26", True),  # make-up Saturday for 2/5
    ("2025-04-30", False),
    ("2025-05-01", False),
    ("2025-05-02", False),  # swapped with 26/4
    ("2025-05-05", True),
    ("2025-08-29", True),
    ("2025-09-01", False),
    ("2025-09-02", False),
    ("2025-09-03", True),
    # 2026
    ("2025-12-31", True),
    ("2026-01-01", False),
    ("2026-01-02", False),  # New Year swap (python-holidays misses it)
    ("2026-01-05", True),
    ("2026-01-10", True),  # make-up Saturday for 2/1
    ("2026-01-11", False),
    ("2026-02-13", True),
    ("2026-02-16", False),  # Tết, weekdays 16–20/2
    ("2026-02-20", False),
    ("2026-02-23", True),
    ("2026-04-24", True),
    ("2026-04-27", False),  # Hùng Kings fell on Sunday 26/4
    ("2026-04-28", True),
    ("2026-04-30", False),
    ("2026-05-01", False),
    ("2026-05-04", True),
    ("2026-08-22", True),  # make-up Saturday for 31/8
    ("2026-08-28", True),
    ("2026-08-31", False),
    ("2026-09-01", False),
    ("2026-09-02", False),
    ("2026-09-03", True),
    ("2026-11-24", True),  # pending Ngày Văn hóa Việt Nam: working until decided
    ("2026-03-07", False),  # an ordinary Saturday
    ("2026-03-08", False),  # an ordinary Sunday
]


@pytest.mark.parametrize(("day", "working"), WORKING_DAYS)
def test_working_day(cal, day, working):
    """A day works iff Mon–Fri and not off, or a make-up Saturday."""
    assert cal.is_working_day(date.fromisoformat(day)) is working


def _breaks() -> list[dict[str, str]]:
    with BREAKS_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _breaks(), ids=lambda r: f"{r['year']}-{r['occasion']}")
def test_each_official_break_is_a_run_of_days_off_between_working_days(cal, row):
    """Every break of 2024–2026 is off from first to last day, and no longer."""
    first = date.fromisoformat(row["first_day_off"])
    last = date.fromisoformat(row["last_day_off"])
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    assert len(days) == int(row["calendar_days"])
    assert not any(cal.is_working_day(d) for d in days)
    assert cal.is_working_day(first - timedelta(1))
    assert cal.is_working_day(last + timedelta(1))


@pytest.mark.parametrize(("year", "expected"), [(2024, 251), (2025, 250), (2026, 250)])
def test_working_days_per_year(cal, year, expected):
    """
    Weekdays minus weekdays off plus make-up Saturdays: 2024 262−12+1,
    2025 261−12+1, 2026 261−13+2.
    """
    first = date(year, 1, 1)
    days = [first + timedelta(n) for n in range(366 if year % 4 == 0 else 365)]
    assert sum(cal.is_working_day(d) for d in days) == expected


def test_next_and_nth_working_day(cal):
    """The reception day itself is never counted by nth_working_day_after."""
    friday = date(2026, 2, 13)
    assert cal.next_working_day(friday) == date(2026, 2, 23)
    assert cal.next_working_day(friday, include_self=True) == friday
    assert cal.next_working_day(date(2026, 2, 14), include_self=True) == date(
        2026, 2, 23
    )
    assert cal.nth_working_day_after(date(2026, 2, 12), 1) == friday
    assert cal.nth_working_day_after(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert cal.nth_working_day_after(date(2026, 2, 14), 1) == date(2026, 2, 23)
    assert cal.nth_working_day_after(date(2026, 1, 9), 1) == date(2026, 1, 10)


def test_opening_close_and_start_of_clock(cal):
    """Office hours bound every day; the clock starts at the next working minute."""
    assert cal.opening(date(2026, 3, 2)) == at("2026-03-02 07:30")
    assert cal.close_of_office(date(2026, 3, 2)) == at("2026-03-02 17:30")
    assert cal.start_of_clock(at("2026-03-02 06:00")) == at("2026-03-02 07:30")
    assert cal.start_of_clock(at("2026-03-02 11:30")) == at("2026-03-02 13:30")
    assert cal.start_of_clock(at("2026-03-02 10:15")) == at("2026-03-02 10:15")
    assert cal.start_of_clock(at("2026-02-13 17:30")) == at("2026-02-23 07:30")
    assert cal.start_of_clock(at("2026-03-02 15:00"), cutoff=CUTOFF) == at(
        "2026-03-03 07:30"
    )
    assert cal.start_of_clock(at("2026-03-02 14:59"), cutoff=CUTOFF) == at(
        "2026-03-02 14:59"
    )


def test_is_confirmed_follows_the_unconfirmed_years(cal):
    """Years built from a proposal are reported so callers can warn."""
    assert cal.is_confirmed(date(2026, 6, 1))
    assert not cal.is_confirmed(date(2027, 6, 1))


# --------------------------------------------------------------------------
# Due times
# --------------------------------------------------------------------------

DUE = [
    # (id, received, value, unit, convention, cutoff, expected due)
    # The worked example of DESIGN.md / legal-spec §6.4.
    ("example-hours", "2026-02-12 16:00", 3, WD, HOURS, None, "2026-02-24 16:00"),
    (
        "example-hours-cutoff",
        "2026-02-12 16:00",
        3,
        WD,
        HOURS,
        CUTOFF,
        "2026-02-24 17:30",
    ),
    (
        "example-days-cutoff",
        "2026-02-12 16:00",
        3,
        WD,
        DAYS,
        CUTOFF,
        "2026-02-24 17:30",
    ),
    ("example-days", "2026-02-12 16:00", 3, WD, DAYS, None, "2026-02-24 17:30"),
    # Before opening, at the opening minute.
    ("before-opening", "2026-03-02 06:00", 1, WD, HOURS, None, "2026-03-02 17:30"),
    (
        "one-minute-before-opening",
        "2026-03-02 07:29",
        1,
        WH,
        HOURS,
        None,
        "2026-03-02 08:30",
    ),
    ("at-opening", "2026-03-02 07:30", 1, WH, HOURS, None, "2026-03-02 08:30"),
    # Lunch: 11:30 already belongs to it (half-open periods).
    ("at-11:29", "2026-03-02 11:29", 1, WH, HOURS, None, "2026-03-02 14:29"),
    ("at-11:30", "2026-03-02 11:30", 1, WH, HOURS, None, "2026-03-02 14:30"),
    ("at-lunch", "2026-03-02 12:00", 2, WH, HOURS, None, "2026-03-02 15:30"),
    ("ends-at-period-end", "2026-03-02 13:30", 4, WH, HOURS, None, "2026-03-02 17:30"),
    ("ends-at-morning-end", "2026-03-02 07:30", 4, WH, HOURS, None, "2026-03-02 11:30"),
    # Closing: 17:30 is already closed.
    ("at-17:29", "2026-03-02 17:29", 1, WH, HOURS, None, "2026-03-03 08:29"),
    ("at-17:30", "2026-03-02 17:30", 1, WH, HOURS, None, "2026-03-03 08:30"),
    ("at-17:30-one-day", "2026-03-02 17:30", 1, WD, HOURS, None, "2026-03-03 17:30"),
    ("late-evening", "2026-03-02 22:00", 1, WD, HOURS, None, "2026-03-03 17:30"),
    # Weekends.
    ("saturday", "2026-03-07 10:00", 1, WH, HOURS, None, "2026-03-09 08:30"),
    ("sunday", "2026-03-08 10:00", 1, WH, HOURS, None, "2026-03-09 08:30"),
    ("saturday-days", "2026-03-07 10:00", 1, WD, DAYS, None, "2026-03-09 17:30"),
    ("sunday-days", "2026-03-08 10:00", 1, WD, DAYS, None, "2026-03-09 17:30"),
    # Make-up Saturdays are working days.
    (
        "makeup-2026-01-10-hour",
        "2026-01-10 09:00",
        1,
        WH,
        HOURS,
        None,
        "2026-01-10 10:00",
    ),
    (
        "makeup-2026-01-10-day",
        "2026-01-10 09:00",
        1,
        WD,
        HOURS,
        None,
        "2026-01-12 09:00",
    ),
    (
        "into-makeup-2026-01-10",
        "2026-01-09 16:00",
        1,
        WD,
        HOURS,
        None,
        "2026-01-10 16:00",
    ),
    ("into-makeup-days", "2026-01-09 10:00", 1, WD, DAYS, None, "2026-01-10 17:30"),
    (
        "into-makeup-2024-05-04",
        "2024-05-03 10:00",
        1,
        WD,
        HOURS,
        None,
        "2024-05-04 10:00",
    ),
    (
        "into-makeup-2025-04-26",
        "2025-04-25 17:00",
        1,
        WH,
        HOURS,
        None,
        "2025-04-26 08:00",
    ),
    (
        "into-makeup-2026-08-22",
        "2026-08-21 17:00",
        1,
        WD,
        HOURS,
        None,
        "2026-08-22 17:00",
    ),
    # The cut-off: at 15:00 the clock starts the next working day; at 14:59 not.
    ("cutoff-15:00", "2026-03-02 15:00", 1, WH, HOURS, CUTOFF, "2026-03-03 08:30"),
    ("cutoff-14:59", "2026-03-02 14:59", 1, WH, HOURS, CUTOFF, "2026-03-02 15:59"),
    ("cutoff-14:59-day", "2026-03-02 14:59", 1, WD, HOURS, CUTOFF, "2026-03-03 14:59"),
    ("cutoff-15:00-day", "2026-03-02 15:00", 1, WD, HOURS, CUTOFF, "2026-03-03 17:30"),
    ("cutoff-before-tet", "2026-02-13 15:30", 1, WH, HOURS, CUTOFF, "2026-02-23 08:30"),
    (
        "cutoff-after-close",
        "2026-03-02 18:00",
        1,
        WH,
        HOURS,
        CUTOFF,
        "2026-03-03 08:30",
    ),
    (
        "cutoff-on-saturday",
        "2026-03-07 16:00",
        1,
        WH,
        HOURS,
        CUTOFF,
        "2026-03-09 08:30",
    ),
    (
        "cutoff-changes-nothing-days-15:00",
        "2026-03-02 15:00",
        1,
        WD,
        DAYS,
        CUTOFF,
        "2026-03-03 17:30",
    ),
    (
        "cutoff-changes-nothing-days-14:59",
        "2026-03-02 14:59",
        1,
        WD,
        DAYS,
        CUTOFF,
        "2026-03-03 17:30",
    ),
    # Tết 2024, 2025, 2026.
    ("tet-2024", "2024-02-07 17:00", 1, WH, HOURS, None, "2024-02-15 08:00"),
    ("tet-2025", "2025-01-24 16:00", 1, WD, HOURS, None, "2025-02-03 16:00"),
    ("tet-2025-days", "2025-01-24 16:00", 1, WD, DAYS, None, "2025-02-03 17:30"),
    ("tet-2026-days", "2026-02-12 09:00", 2, WD, DAYS, None, "2026-02-23 17:30"),
    # Hùng Kings.
    ("hung-kings-2024", "2024-04-17 17:00", 1, WH, HOURS, None, "2024-04-19 08:00"),
    ("hung-kings-2025", "2025-04-04 17:00", 1, WH, HOURS, None, "2025-04-08 08:00"),
    (
        "hung-kings-2026-compensatory",
        "2026-04-24 17:00",
        1,
        WH,
        HOURS,
        None,
        "2026-04-28 08:00",
    ),
    # 30/4–1/5 with their swaps.
    ("reunification-2024", "2024-04-26 09:00", 2, WD, HOURS, None, "2024-05-03 09:00"),
    (
        "reunification-2024-days",
        "2024-04-26 09:00",
        2,
        WD,
        DAYS,
        None,
        "2024-05-03 17:30",
    ),
    (
        "reunification-2024-days-makeup",
        "2024-04-26 09:00",
        3,
        WD,
        DAYS,
        None,
        "2024-05-04 17:30",
    ),
    (
        "reunification-2025-makeup",
        "2025-04-25 10:00",
        1,
        WD,
        HOURS,
        None,
        "2025-04-26 10:00",
    ),
    (
        "reunification-2025-days",
        "2025-04-29 10:00",
        3,
        WD,
        DAYS,
        None,
        "2025-05-07 17:30",
    ),
    ("reunification-2026", "2026-04-23 10:00", 3, WD, HOURS, None, "2026-04-29 10:00"),
    (
        "reunification-2026-days",
        "2026-04-23 10:00",
        3,
        WD,
        DAYS,
        None,
        "2026-04-29 17:30",
    ),
    (
        "reunification-2026-days-5",
        "2026-04-23 10:00",
        5,
        WD,
        DAYS,
        None,
        "2026-05-05 17:30",
    ),
    # National Day.
    ("national-day-2024", "2024-08-30 15:00", 1, WD, HOURS, None, "2024-09-04 15:00"),
    ("national-day-2025", "2025-08-29 15:00", 1, WD, HOURS, None, "2025-09-03 15:00"),
    (
        "national-day-2026-swap",
        "2026-08-28 15:00",
        1,
        WD,
        HOURS,
        None,
        "2026-09-03 15:00",
    ),
    # New Year 2026 and its swap of 2/1 with Saturday 10/1.
    ("new-year-2026", "2025-12-31 17:00", 1, WH, HOURS, None, "2026-01-05 08:00"),
    ("new-year-2026-days", "2025-12-31 10:00", 1, WD, DAYS, None, "2026-01-05 17:30"),
    # 24/11/2026 awaits a decision: a working day meanwhile.
    ("pending-holiday", "2026-11-23 17:00", 1, WH, HOURS, None, "2026-11-24 08:00"),
    # Fractional durations: exact minutes, half to even; whole days rounded up
    # in the days convention.
    (
        "half-day",
        "2026-03-02 07:30",
        Decimal("0.5"),
        WD,
        HOURS,
        None,
        "2026-03-02 11:30",
    ),
    (
        "one-and-a-half-days",
        "2026-03-02 07:30",
        1.5,
        WD,
        HOURS,
        None,
        "2026-03-03 11:30",
    ),
    ("quarter-day", "2026-03-02 07:30", 0.25, WD, HOURS, None, "2026-03-02 09:30"),
    (
        "tenth-of-a-day-float",
        "2026-03-02 07:30",
        0.1,
        WD,
        HOURS,
        None,
        "2026-03-02 08:18",
    ),
    (
        "tenth-of-a-day-decimal",
        "2026-03-02 07:30",
        Decimal("0.1"),
        WD,
        HOURS,
        None,
        "2026-03-02 08:18",
    ),
    (
        "two-and-a-half-hours",
        "2026-03-02 07:30",
        2.5,
        WH,
        HOURS,
        None,
        "2026-03-02 10:00",
    ),
    (
        "third-of-an-hour",
        "2026-03-02 07:30",
        1 / 3,
        WH,
        HOURS,
        None,
        "2026-03-02 07:50",
    ),
    (
        "half-day-days-rounds-up",
        "2026-03-02 07:30",
        0.5,
        WD,
        DAYS,
        None,
        "2026-03-03 17:30",
    ),
    (
        "hours-ignore-convention",
        "2026-03-02 07:30",
        3,
        WH,
        DAYS,
        None,
        "2026-03-02 10:30",
    ),
    # Calendar days and months: close of office, moved to the next working day.
    (
        "calendar-days-into-tet",
        "2026-02-12 16:00",
        10,
        CD,
        HOURS,
        None,
        "2026-02-23 17:30",
    ),
    (
        "calendar-day-into-tet",
        "2026-02-13 10:00",
        1,
        CD,
        HOURS,
        None,
        "2026-02-23 17:30",
    ),
    (
        "calendar-days-on-saturday",
        "2026-03-02 10:00",
        5,
        CD,
        HOURS,
        None,
        "2026-03-09 17:30",
    ),
    ("calendar-days-week", "2026-03-02 10:00", 7, CD, DAYS, None, "2026-03-09 17:30"),
    (
        "calendar-day-new-year-swap",
        "2026-01-01 10:00",
        1,
        CD,
        HOURS,
        None,
        "2026-01-05 17:30",
    ),
    (
        "calendar-days-cutoff-ignored",
        "2026-03-02 16:00",
        1,
        CD,
        HOURS,
        CUTOFF,
        "2026-03-03 17:30",
    ),
    (
        "month-end-of-february",
        "2026-01-31 10:00",
        1,
        CM,
        HOURS,
        None,
        "2026-03-02 17:30",
    ),
    (
        "month-into-reunification",
        "2026-03-31 10:00",
        1,
        CM,
        HOURS,
        None,
        "2026-05-04 17:30",
    ),
    ("twelve-months", "2025-02-28 10:00", 12, CM, DAYS, None, "2026-03-02 17:30"),
    # Immediate: close of office on the start day.
    ("immediate", "2026-03-02 10:00", 0, NOW, HOURS, None, "2026-03-02 17:30"),
    (
        "immediate-value-ignored",
        "2026-03-02 10:00",
        5,
        NOW,
        DAYS,
        None,
        "2026-03-02 17:30",
    ),
    (
        "immediate-after-close",
        "2026-03-02 18:00",
        0,
        NOW,
        HOURS,
        None,
        "2026-03-03 17:30",
    ),
    (
        "immediate-after-cutoff",
        "2026-03-02 16:00",
        0,
        NOW,
        HOURS,
        CUTOFF,
        "2026-03-03 17:30",
    ),
    (
        "immediate-before-tet",
        "2026-02-13 18:00",
        0,
        NOW,
        HOURS,
        None,
        "2026-02-23 17:30",
    ),
    ("immediate-saturday", "2026-03-07 10:00", 0, NOW, HOURS, None, "2026-03-09 17:30"),
    ("zero-working-days", "2026-03-02 10:00", 0, WD, HOURS, None, "2026-03-02 17:30"),
    ("zero-on-saturday", "2026-03-07 10:00", 0, WD, DAYS, None, "2026-03-09 17:30"),
]


@pytest.mark.parametrize(
    ("received", "value", "unit", "convention", "cutoff", "expected"),
    [case[1:] for case in DUE],
    ids=[case[0] for case in DUE],
)
def test_compute_due(cal, received, value, unit, convention, cutoff, expected):
    """The due time follows DESIGN.md §4 (expectations worked out by hand)."""
    due = compute_due(
        cal, at(received), value, unit, convention=convention, cutoff=cutoff
    )
    assert due == at(expected)
    assert due.tzinfo is LOCAL_TZ


@pytest.mark.parametrize("unit", [WD, WH, CD, CM])
@pytest.mark.parametrize("convention", [HOURS, DAYS])
def test_zero_duration_means_within_the_day(cal, unit, convention):
    """A duration of 0, as the national catalog writes "trong ngày", is immediate."""
    received = at("2026-02-13 16:00")
    assert compute_due(cal, received, 0, unit, convention=convention) == at(
        "2026-02-13 17:30"
    )


def test_a_positive_duration_lasts_at_least_a_minute(cal):
    """A duration too short to round to a minute still ends after the reception."""
    received = at("2026-03-02 06:00")
    assert compute_due(cal, received, Decimal("0.001"), WD) == at("2026-03-02 07:31")
    assert compute_due(cal, received, Decimal("0.004"), WH) == at("2026-03-02 07:31")


def test_compute_due_accepts_strings_utc_and_naive_instants(cal):
    """Units and conventions may be given by value; instants in any zone."""
    expected = at("2026-02-24 16:00")
    utc = datetime(2026, 2, 12, 9, 0, tzinfo=UTC)
    naive = datetime(2026, 2, 12, 16, 0)
    assert compute_due(cal, utc, 3, "working_days", convention="hours") == expected
    assert compute_due(cal, naive, 3, WD) == expected
    assert compute_due(cal, at("2026-02-12 16:00:59"), 3, WD) == expected


@pytest.mark.parametrize(
    ("value", "unit", "convention", "error"),
    [
        (-1, WD, HOURS, ValueError),
        (Decimal("-0.5"), WH, HOURS, ValueError),
        (float("nan"), WD, HOURS, ValueError),
        (float("inf"), WD, DAYS, ValueError),
        (1, "working_weeks", HOURS, ValueError),
        (1, WD, "weeks", ValueError),
    ],
)
def test_compute_due_refuses_bad_input(cal, value, unit, convention, error):
    """Negative, non-finite, or unknown units and conventions are refused."""
    with pytest.raises(error):
        compute_due(cal, at("2026-03-02 10:00"), value, unit, convention=convention)


def test_compute_due_outside_the_calendar(cal):
    """A due time beyond the loaded years is an error, never a wrong answer."""
    with pytest.raises(CalendarRangeError):
        compute_due(cal, at("2030-12-30 10:00"), 10, WD)
    with pytest.raises(CalendarRangeError):
        compute_due(cal, at("2031-01-02 10:00"), 1, WD)
    with pytest.raises(CalendarRangeError):
        compute_due(cal, at("2030-12-30 10:00"), 10, WD, convention=DAYS)
    with pytest.raises(CalendarRangeError):
        compute_due(cal, at("2022-12-30 10:00"), 1, WD)


def test_duration_minutes(cal):
    """Working days count the calendar's day length; hours count 60."""
    assert duration_minutes(cal, 3, WD) == 1440
    assert duration_minutes(cal, Decimal("0.5"), WD) == 240
    assert duration_minutes(cal, 2.5, WH) == 150
    with pytest.raises(ValueError):
        duration_minutes(cal, 1, CD)


# --------------------------------------------------------------------------
# Working time, classification, extensions
# --------------------------------------------------------------------------


def test_working_minutes_between(cal):
    """Only office time counts: Tết, weekends and lunch are free."""
    assert (
        cal.working_minutes_between(at("2026-02-12 16:00"), at("2026-02-24 16:00"))
        == 1440
    )
    assert (
        cal.working_minutes_between(at("2026-03-02 11:00"), at("2026-03-02 14:00"))
        == 60
    )
    assert (
        cal.working_minutes_between(at("2026-02-14 09:00"), at("2026-02-22 09:00")) == 0
    )
    assert (
        cal.working_minutes_between(at("2026-03-03 07:30"), at("2026-03-02 07:30"))
        == -480
    )


def test_add_working_minutes_crosses_lunch_nights_and_holidays(cal):
    """Time is consumed period by period and stops exactly at a period end."""
    assert cal.add_working_minutes(at("2026-03-02 11:00"), 30) == at("2026-03-02 11:30")
    assert cal.add_working_minutes(at("2026-03-02 11:00"), 31) == at("2026-03-02 13:31")
    assert cal.add_working_minutes(at("2026-02-13 17:00"), 31) == at("2026-02-23 07:31")


CLASSIFY = [
    ("at-due", "2026-02-24 16:00", ON_TIME),
    ("one-minute-late", "2026-02-24 16:01", LATE),
    ("after-close", "2026-02-24 17:45", LATE),
    ("exactly-one-working-day-before", "2026-02-23 16:00", EARLY),
    ("one-minute-short-of-a-day", "2026-02-23 16:01", ON_TIME),
    ("before-tet", "2026-02-13 16:00", EARLY),
    ("during-tet", "2026-02-18 10:00", EARLY),
    ("on-the-last-evening", "2026-02-23 20:00", ON_TIME),
]


@pytest.mark.parametrize(
    ("finished", "expected"),
    [case[1:] for case in CLASSIFY],
    ids=[case[0] for case in CLASSIFY],
)
def test_classify(cal, finished, expected):
    """Late after the due time; early at least one working day (480 min) before."""
    assert classify(cal, at(finished), at("2026-02-24 16:00")) == expected


def test_classify_counts_working_time_not_calendar_time(cal):
    """Two calendar days early over a weekend is less than a working day."""
    assert classify(cal, at("2026-03-07 10:00"), at("2026-03-09 10:00")) == ON_TIME


EXTEND = [
    ("a-working-day", "2026-02-12 16:00", "2026-02-13 16:00", "2026-02-25 16:00"),
    ("over-tet-only", "2026-02-14 08:00", "2026-02-22 18:00", "2026-02-24 16:00"),
    ("over-lunch", "2026-02-23 11:30", "2026-02-23 13:30", "2026-02-24 16:00"),
    ("reversed", "2026-02-13 16:00", "2026-02-12 16:00", "2026-02-24 16:00"),
    ("two-hours", "2026-02-23 08:00", "2026-02-23 10:00", "2026-02-25 08:00"),
]


@pytest.mark.parametrize(
    ("paused_from", "paused_until", "expected"),
    [case[1:] for case in EXTEND],
    ids=[case[0] for case in EXTEND],
)
def test_extend_by_working_time(cal, paused_from, paused_until, expected):
    """A pause pushes the due time back by the working time it lasted."""
    due = at("2026-02-24 16:00")
    assert extend_by_working_time(cal, due, at(paused_from), at(paused_until)) == at(
        expected
    )


# --------------------------------------------------------------------------
# Calendars with other office hours
# --------------------------------------------------------------------------


def test_custom_office_hours():
    """A unit open 08:00–12:00 and 13:00–17:00 has 8-hour days ending at 17:00."""
    cal = WorkingCalendar(
        first_year=2026,
        last_year=2026,
        periods=[Period.of(time(13), time(17)), Period.of(time(8), time(12))],
    )
    assert cal.day_minutes == 480
    assert compute_due(cal, at("2026-03-02 12:30"), 1, WH) == at("2026-03-02 14:00")
    assert compute_due(cal, at("2026-03-02 10:00"), 1, WD, convention=DAYS) == at(
        "2026-03-03 17:00"
    )


@pytest.mark.parametrize(
    "periods",
    [
        [],
        [Period.of(time(8), time(12)), Period.of(time(11), time(14))],
        [Period.of(time(12), time(8))],
    ],
    ids=["none", "overlapping", "backwards"],
)
def test_invalid_office_hours_are_refused(periods):
    """A calendar needs periods that end after they start and do not overlap."""
    with pytest.raises(ValueError):
        WorkingCalendar(first_year=2026, last_year=2026, periods=periods)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

moments = st.builds(
    lambda day, minute: datetime.combine(
        date(2024, 1, 1) + timedelta(days=day), time(minute // 60, minute % 60)
    ).replace(tzinfo=LOCAL_TZ),
    st.integers(0, 3 * 365),
    st.integers(0, 24 * 60 - 1),
)
durations = st.one_of(
    st.integers(0, 40),
    st.decimals(min_value=0, max_value=40, places=3),
)
units = st.sampled_from(list(DurationUnit))
conventions = st.sampled_from(list(Convention))
cutoffs = st.sampled_from([None, time(15), time(14, 59), time(11, 30)])
PROPERTY = settings(max_examples=300, deadline=None)


def _in_office_hours_or_at_a_period_end(cal: WorkingCalendar, moment: datetime) -> bool:
    minute = moment.hour * 60 + moment.minute
    return cal.is_working_day(moment.date()) and any(
        p.start <= minute < p.end or minute == p.end for p in cal.periods
    )


@PROPERTY
@given(moments, durations, units, conventions, cutoffs)
def test_due_is_in_office_hours_of_a_working_day(
    cal, received, value, unit, convention, cutoff
):
    """Every due time falls inside office hours, or exactly at a period end."""
    due = compute_due(cal, received, value, unit, convention=convention, cutoff=cutoff)
    assert _in_office_hours_or_at_a_period_end(cal, due)
    assert due >= received


@PROPERTY
@given(moments, st.integers(0, 5000), st.integers(0, 5000))
def test_adding_in_two_halves_equals_adding_at_once(cal, start, first, second):
    """Working time is additive: a + b minutes in two steps or in one."""
    halfway = cal.add_working_minutes(start, first)
    assert cal.add_working_minutes(halfway, second) == cal.add_working_minutes(
        start, first + second
    )


@PROPERTY
@given(moments, st.integers(1, 40 * 60), st.integers(1, 40 * 60))
def test_working_hours_in_two_halves_equal_at_once(cal, received, first, second):
    """Two consecutive durations in minutes end where their sum ends."""
    halfway = compute_due(cal, received, Decimal(first) / 60, WH)
    assert compute_due(cal, halfway, Decimal(second) / 60, WH) == compute_due(
        cal, received, Decimal(first + second) / 60, WH
    )


@PROPERTY
@given(st.integers(1, 4 * 250 * 480))
def test_offset_and_moment_at_round_trip(cal, offset):
    """The instant an offset locates has that offset."""
    assert cal.offset(cal.moment_at(offset)) == offset


@PROPERTY
@given(moments)
def test_moment_at_offset_returns_an_instant_inside_office_hours(cal, moment):
    """Inside office hours (after a period's first minute) an instant round-trips."""
    minute = moment.hour * 60 + moment.minute
    inside = cal.is_working_day(moment.date()) and any(
        p.start < minute < p.end for p in cal.periods
    )
    if inside:
        assert cal.moment_at(cal.offset(moment)) == moment


@PROPERTY
@given(moments, moments, durations, units, conventions, cutoffs)
def test_later_reception_never_gives_an_earlier_due_time(
    cal, first, second, value, unit, convention, cutoff
):
    """The due time is monotonic in the reception time."""
    early, late = sorted([first, second])
    assert compute_due(
        cal, early, value, unit, convention=convention, cutoff=cutoff
    ) <= compute_due(cal, late, value, unit, convention=convention, cutoff=cutoff)


@PROPERTY
@given(moments, durations, durations, units, conventions, cutoffs)
def test_longer_duration_never_gives_an_earlier_due_time(
    cal, received, first, second, unit, convention, cutoff
):
    """The due time is monotonic in positive durations (0 means within the day)."""
    short, long = sorted([first, second])
    assume(short > 0)
    assert compute_due(
        cal, received, short, unit, convention=convention, cutoff=cutoff
    ) <= compute_due(cal, received, long, unit, convention=convention, cutoff=cutoff)


@PROPERTY
@given(moments, durations, units, conventions)
def test_finishing_at_the_due_time_is_on_time_and_a_minute_later_late(
    cal, received, value, unit, convention
):
    """The due time itself is on time; the next minute is late."""
    due = compute_due(cal, received, value, unit, convention=convention)
    assert classify(cal, due, due) == ON_TIME
    assert classify(cal, due + timedelta(minutes=1), due) == LATE
