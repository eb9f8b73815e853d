"""Working calendars built from the database: official, proposed, per unit."""

import csv
from datetime import date, time

from django.conf import settings
from django.utils import timezone

import pytest

from motcua.core.calendar import LOCAL_TZ
from motcua.units import calendars
from motcua.units.constants import CalendarDayKind, YearStatus
from motcua.units.importers import holidays_import
from motcua.units.models import CalendarDay, CalendarYear, OfficePeriod

from .factories import AgencyCodeFactory, AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db

OFFICIAL = settings.DATA_DIR / "vn-holidays" / "vn_public_sector_days_off_2024_2026.csv"
PROPOSALS = settings.DATA_DIR / "vn-holidays" / "python_holidays_0.109_VN_2024_2027.csv"


def national(
    day: date, answer: bool | None, kind=CalendarDayKind.HOLIDAY, calendar=None
):
    return CalendarDay.objects.create(
        date=day, kind=kind, is_day_off=answer, calendar=calendar, name="thử"
    )


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_statutory_proposals_are_those_of_the_pinned_python_holidays(year):
    """The proposal for a year without an official schedule is python-holidays 0.109."""
    with PROPOSALS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["date"].startswith(str(year))]
    expected_off = {
        date.fromisoformat(r["date"])
        for r in rows
        if r["kind"] == "holiday" and date.fromisoformat(r["date"]).weekday() < 5
    }
    expected_makeup = {
        date.fromisoformat(r["date"]) for r in rows if r["kind"] == "weekend_workday"
    }
    assert calendars.statutory_days_off(year) == expected_off
    assert calendars.statutory_makeup_workdays(year) == expected_makeup


def test_without_data_every_year_is_a_flagged_statutory_proposal():
    """With no rows loaded, the calendar is python-holidays', and unconfirmed."""
    calendar = calendars.get_calendar()
    assert not calendar.is_confirmed(date(2026, 2, 16))
    assert not calendar.is_working_day(date(2026, 2, 16))  # Tết
    assert calendar.is_working_day(date(2026, 1, 2))  # the swap python-holidays misses
    assert calendar.is_working_day(date(2026, 8, 22))  # its make-up Saturday is known
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert not calendar.is_working_day(date(2026, 11, 24))  # taken as a firm holiday
    assert calendar.first_year == calendars.FIRST_YEAR
    assert calendar.last_year >= timezone.localdate().year + calendars.YEARS_AHEAD


def test_a_confirmed_year_is_its_rows_and_nothing_else():
    """The official rows replace the proposal entirely for their years."""
    holidays_import(OFFICIAL)
    calendar = calendars.get_calendar()
    assert calendar.is_confirmed(date(2026, 1, 2))
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 10))
    assert calendar.is_working_day(date(2026, 11, 24))  # pending: working until decided
    assert not calendar.is_confirmed(date(2027, 1, 1))
    assert not calendar.is_working_day(date(2027, 2, 8))  # 2027 Tết, proposed


def test_rows_of_an_unconfirmed_year_override_the_proposal_day_by_day():
    """A proposed year (or one without status) keeps the statutory days not overridden."""
    CalendarYear.objects.create(year=2027, status=YearStatus.PROPOSED)
    national(date(2027, 2, 10), False)  # proposed off, decided working
    national(date(2027, 3, 1), True)  # an extra day off
    national(date(2027, 11, 24), None, kind=CalendarDayKind.PENDING_HOLIDAY)
    national(date(2028, 3, 1), True)  # a year with no CalendarYear at all
    calendar = calendars.get_calendar()
    assert calendar.is_working_day(date(2027, 2, 10))
    assert not calendar.is_working_day(date(2027, 2, 9))
    assert not calendar.is_working_day(date(2027, 3, 1))
    assert calendar.is_working_day(date(2027, 11, 24))  # undecided: the weekly rule
    assert not calendar.is_working_day(date(2028, 3, 1))
    assert not calendar.is_working_day(date(2028, 1, 1))  # statutory, still there
    assert not calendar.is_confirmed(date(2027, 6, 1))
    assert not calendar.is_confirmed(date(2028, 6, 1))


def test_a_units_own_days_and_hours_override_the_national_ones():
    """Unit rows win over national rows of the same date, on every database."""
    holidays_import(OFFICIAL)
    unit = WorkCalendarFactory(code="ttpvhcc")
    OfficePeriod.objects.create(calendar=unit, start=time(8), end=time(12))
    OfficePeriod.objects.create(calendar=unit, start=time(13), end=time(17))
    national(date(2026, 3, 2), True, kind=CalendarDayKind.LOCAL_DAY_OFF, calendar=unit)
    national(date(2026, 9, 2), False, kind=CalendarDayKind.LOCAL_DAY_OFF, calendar=unit)
    own = calendars.get_calendar(unit)
    province = calendars.get_calendar()
    assert not own.is_working_day(date(2026, 3, 2))
    assert province.is_working_day(date(2026, 3, 2))
    assert own.is_working_day(date(2026, 9, 2))
    assert not province.is_working_day(date(2026, 9, 2))
    assert own.close_of_office(date(2026, 3, 3)).time() == time(17)
    assert own.close_of_office(date(2026, 3, 3)).tzinfo is LOCAL_TZ


def test_the_default_calendar_is_the_one_marked_default():
    """get_calendar() without argument uses the province's default calendar."""
    default = WorkCalendarFactory(is_default=True)
    OfficePeriod.objects.create(calendar=default, start=time(7), end=time(16))
    assert calendars.get_calendar().day_minutes == 9 * 60


def test_calendars_are_cached_until_invalidated(django_assert_num_queries):
    """A warm calendar costs no query; invalidate() rebuilds it."""
    first = calendars.get_calendar()
    with django_assert_num_queries(0):
        assert calendars.get_calendar() is first
    national(date(2026, 3, 2), True)
    assert calendars.get_calendar().is_working_day(date(2026, 3, 2))  # stale, by design
    calendars.invalidate()
    assert not calendars.get_calendar().is_working_day(date(2026, 3, 2))


def test_calendar_of_an_agency_is_inherited_from_its_parents():
    """A division without a calendar uses its department's, else the default."""
    own = WorkCalendarFactory()
    OfficePeriod.objects.create(calendar=own, start=time(8), end=time(12))
    department = AgencyFactory(calendar=own)
    division = AgencyFactory(parent=department)
    orphan = AgencyFactory()
    assert calendars.calendar_for_agency(division).day_minutes == 240
    assert calendars.calendar_for_agency(orphan).day_minutes == 480
    assert calendars.calendar_for_agency(None).day_minutes == 480


def test_calendar_by_code_finds_calendars_and_agency_identifiers():
    """A calendar code or an agency's electronic id names a calendar."""
    own = WorkCalendarFactory(code="so-tu-phap")
    OfficePeriod.objects.create(calendar=own, start=time(8), end=time(11))
    AgencyCodeFactory(agency=AgencyFactory(calendar=own), code="000.00.05.H99")
    assert calendars.calendar_by_code("so-tu-phap").day_minutes == 180
    assert calendars.calendar_by_code("000.00.05.H99").day_minutes == 180
    assert calendars.calendar_by_code(None).day_minutes == 480
    with pytest.raises(LookupError):
        calendars.calendar_by_code("000.00.99.H99")
