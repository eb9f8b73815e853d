"""Calendar and agency services: validation, audit log, calendar cache."""

from datetime import date, time

import pytest

from motcua.audit.models import AuditLog
from motcua.core.exceptions import RuleViolation, ValidationFailed
from motcua.units import calendars
from motcua.units.constants import CalendarDayKind, YearStatus
from motcua.units.models import CalendarDay, CalendarYear, OfficePeriod
from motcua.units.services import (
    agency_save,
    calendar_object_delete,
    calendar_object_save,
    calendar_propose_year,
    office_periods_save,
)

from .factories import AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db


def audits() -> list[dict]:
    return [
        row.extra_data
        for row in AuditLog.objects.filter(event_type="calendar_change").order_by("pk")
    ]


def test_saving_a_day_audits_it_and_the_calendar_sees_it_at_once(admin_user):
    """A new day off is recorded with its author and used by the next deadline."""
    assert calendars.get_calendar().is_working_day(date(2026, 3, 2))
    day = CalendarDay(
        date=date(2026, 3, 2),
        kind=CalendarDayKind.HOLIDAY,
        is_day_off=True,
        name="Nghỉ",
    )
    calendar_object_save(obj=day, actor=admin_user)
    assert not calendars.get_calendar().is_working_day(date(2026, 3, 2))
    row = AuditLog.objects.get(event_type="calendar_change")
    assert (row.actor, row.target_type, row.target_id) == (
        admin_user,
        "units.calendarday",
        str(day.pk),
    )
    assert row.extra_data["action"] == "create"
    assert row.extra_data["changes"]["is_day_off"] == ["", "True"]


def test_an_unchanged_save_writes_no_audit_and_a_change_writes_the_difference():
    """Only real changes are recorded, old and new value side by side."""
    day = calendar_object_save(
        obj=CalendarDay(
            date=date(2026, 11, 24),
            kind=CalendarDayKind.PENDING_HOLIDAY,
            name="Văn hóa",
        )
    )
    calendar_object_save(obj=day)
    day.is_day_off = True
    calendar_object_save(obj=day)
    assert [a["action"] for a in audits()] == ["create", "update"]
    assert audits()[1]["changes"] == {"is_day_off": ["", "True"]}
    assert not calendars.get_calendar().is_working_day(date(2026, 11, 24))


def test_deleting_audits_and_rebuilds():
    """A deleted day off is a working day again at once."""
    day = calendar_object_save(
        obj=CalendarDay(
            date=date(2026, 3, 2), kind=CalendarDayKind.HOLIDAY, is_day_off=True
        )
    )
    assert not calendars.get_calendar().is_working_day(date(2026, 3, 2))
    calendar_object_delete(obj=day)
    assert calendars.get_calendar().is_working_day(date(2026, 3, 2))
    assert audits()[-1]["action"] == "delete"


@pytest.mark.parametrize(
    ("kind", "answer", "message"),
    [
        (CalendarDayKind.MAKEUP_WORKDAY, True, "Ngày làm bù phải là ngày làm việc"),
        (CalendarDayKind.HOLIDAY, None, "Chỉ ngày nghỉ chờ quyết định"),
    ],
)
def test_a_day_that_contradicts_itself_is_refused(kind, answer, message):
    """A make-up day off, or a holiday with no answer, never reaches the database."""
    with pytest.raises(ValidationFailed, match=message):
        calendar_object_save(
            obj=CalendarDay(date=date(2026, 3, 7), kind=kind, is_day_off=answer)
        )
    assert not CalendarDay.objects.exists()
    assert not audits()


def test_overlapping_office_periods_are_refused():
    """Overlapping periods would break every deadline of the unit."""
    unit = WorkCalendarFactory()
    calendar_object_save(
        obj=OfficePeriod(calendar=unit, start=time(7, 30), end=time(11, 30))
    )
    calendar_object_save(
        obj=OfficePeriod(calendar=unit, start=time(11, 30), end=time(12))
    )
    with pytest.raises(ValidationFailed, match="chồng lên nhau"):
        calendar_object_save(
            obj=OfficePeriod(calendar=unit, start=time(11), end=time(14))
        )
    with pytest.raises(ValidationFailed):
        calendar_object_save(
            obj=OfficePeriod(calendar=unit, start=time(14), end=time(13))
        )
    assert unit.periods.count() == 2


def test_office_periods_are_checked_as_the_set_they_become():
    """Two periods may move past each other in one edit; an overlap changes nothing."""
    unit = WorkCalendarFactory()
    morning = OfficePeriod.objects.create(calendar=unit, start=time(8), end=time(12))
    afternoon = OfficePeriod.objects.create(calendar=unit, start=time(13), end=time(17))
    morning.end, afternoon.start = time(13, 30), time(13, 30)
    office_periods_save(calendar=unit, saved=[morning, afternoon], deleted=[])
    assert calendars.get_calendar(unit).day_minutes == 9 * 60

    afternoon.start = time(12)
    evening = OfficePeriod(start=time(18), end=time(20))
    with pytest.raises(ValidationFailed):
        office_periods_save(calendar=unit, saved=[afternoon, evening], deleted=[])
    office_periods_save(calendar=unit, saved=[evening], deleted=[afternoon])
    assert [str(p) for p in unit.periods.all()] == ["08:00–13:30", "18:00–20:00"]


def test_propose_year_creates_editable_rows_without_touching_existing_ones(admin_user):
    """The statutory days off of 2027 become rows; existing rows and reruns are kept."""
    kept = calendar_object_save(
        obj=CalendarDay(
            date=date(2027, 2, 5), kind=CalendarDayKind.HOLIDAY, is_day_off=False
        )
    )
    year, created = calendar_propose_year(2027, actor=admin_user)
    assert year.status == YearStatus.PROPOSED
    assert "python-holidays" in year.source
    days = CalendarDay.objects.filter(date__year=2027, calendar=None)
    assert created == days.count() - 1
    assert set(days.values_list("date", flat=True)) >= calendars.statutory_days_off(
        2027
    )
    tet = days.get(date=date(2027, 2, 8))
    assert (tet.kind, tet.is_day_off, tet.name) == (
        CalendarDayKind.HOLIDAY,
        True,
        "Mùng ba Tết Nguyên Đán",
    )
    assert days.get(date=date(2027, 5, 3)).kind == CalendarDayKind.COMPENSATORY
    kept.refresh_from_db()
    assert kept.is_day_off is False
    assert calendars.get_calendar().is_working_day(date(2027, 2, 5))
    assert audits()[-1]["action"] == "propose"

    assert calendar_propose_year(2027)[1] == 0


def test_propose_year_never_overwrites_an_official_year():
    """A confirmed year is refused, and nothing is written."""
    CalendarYear.objects.create(year=2026, status=YearStatus.CONFIRMED)
    with pytest.raises(RuleViolation):
        calendar_propose_year(2026)
    assert not CalendarDay.objects.exists()


def test_an_agency_cannot_descend_from_itself():
    """Parent loops are refused: calendars are inherited along parents."""
    department = AgencyFactory()
    division = AgencyFactory(parent=department)
    department.parent = division
    with pytest.raises(ValidationFailed):
        agency_save(agency=department)
    department.parent = department
    with pytest.raises(ValidationFailed):
        agency_save(agency=department)
    department.parent = None
    agency_save(agency=department)
    assert AuditLog.objects.filter(event_type="settings").count() == 1
