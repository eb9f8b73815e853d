"""The units admin: read-only units, agencies, calendars saved through the services."""

from datetime import date

from django.urls import reverse

import pytest

from motcua.audit.models import AuditLog
from motcua.units import calendars
from motcua.units.constants import AgencyKind, CalendarDayKind, YearStatus
from motcua.units.models import CalendarDay, CalendarYear, OfficePeriod, WorkCalendar

from .factories import AdministrativeUnitFactory, AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(admin_client):
    return admin_client


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    "model",
    ["administrativeunit", "agency", "workcalendar", "calendarday", "calendaryear"],
)
def test_every_list_opens(client, model):
    """Each list page answers, in Vietnamese."""
    AgencyFactory(service_centre=True)
    CalendarDay.objects.create(
        date=date(2026, 1, 2), kind=CalendarDayKind.SWAPPED_DAY_OFF, is_day_off=True
    )
    CalendarYear.objects.create(year=2026, status=YearStatus.CONFIRMED)
    response = client.get(reverse(f"admin:units_{model}_changelist"))
    assert response.status_code == 200


def test_units_are_read_only_and_found_without_diacritics(client):
    """Nobody adds units by hand; 'hoa lac' finds Xã Hoà Lạc."""
    unit = AdministrativeUnitFactory(commune=True, name="Hoà Lạc")
    assert client.get(reverse("admin:units_administrativeunit_add")).status_code == 403
    response = client.get(
        reverse("admin:units_administrativeunit_changelist"), {"q": "hoa lac"}
    )
    assert list(response.context["cl"].result_list) == [unit]
    page = client.get(reverse("admin:units_administrativeunit_change", args=[unit.pk]))
    assert page.status_code == 200
    assert b'name="full_name"' not in page.content  # shown, not editable


def test_a_service_centre_has_its_counters_and_reception_points(client):
    """Counter and reception-point inlines appear for service centres only."""
    centre = AgencyFactory(service_centre=True)
    department = AgencyFactory()
    page = client.get(reverse("admin:units_agency_change", args=[centre.pk]))
    assert b"counters-TOTAL_FORMS" in page.content
    assert b"reception_points-TOTAL_FORMS" in page.content
    page = client.get(reverse("admin:units_agency_change", args=[department.pk]))
    assert b"counters-TOTAL_FORMS" not in page.content


def test_an_agency_parent_loop_is_a_form_error(client):
    """Choosing a descendant as parent is refused on the form, nothing saved."""
    department = AgencyFactory()
    division = AgencyFactory(parent=department)
    data = {
        "name": department.name,
        "kind": AgencyKind.PROVINCIAL_DEPARTMENT,
        "level": department.level,
        "branch": "",
        "parent": division.pk,
        "administrative_unit": department.administrative_unit_id,
        "is_active": "on",
        **inline_management("codes"),
    }
    response = client.post(
        reverse("admin:units_agency_change", args=[department.pk]), data
    )
    assert response.status_code == 200
    assert (
        "Cơ quan cấp trên không được là chính cơ quan này" in response.content.decode()
    )
    department.refresh_from_db()
    assert department.parent is None


def test_a_national_day_added_in_the_admin_is_audited_and_used_at_once(
    client, admin_user
):
    """Saving through the admin writes the audit log and rebuilds the calendar."""
    assert calendars.get_calendar().is_working_day(date(2026, 3, 2))
    response = client.post(
        reverse("admin:units_calendarday_add"),
        {
            "date": "2026-03-02",
            "kind": CalendarDayKind.HOLIDAY,
            "is_day_off": "true",
            "name": "Nghỉ đột xuất",
        },
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2026, 3, 2))
    assert day.calendar is None
    assert not calendars.get_calendar().is_working_day(date(2026, 3, 2))
    assert AuditLog.objects.get(event_type="calendar_change").actor == admin_user

    response = client.post(
        reverse("admin:units_calendarday_delete", args=[day.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert calendars.get_calendar().is_working_day(date(2026, 3, 2))
    assert AuditLog.objects.filter(event_type="calendar_change").count() == 2


def test_a_duplicate_national_day_is_a_form_error(client):
    """The national schedule holds one row per date."""
    CalendarDay.objects.create(
        date=date(2026, 3, 2), kind=CalendarDayKind.HOLIDAY, is_day_off=True
    )
    response = client.post(
        reverse("admin:units_calendarday_add"),
        {"date": "2026-03-02", "kind": CalendarDayKind.HOLIDAY, "is_day_off": "true"},
    )
    assert response.status_code == 200
    assert CalendarDay.objects.count() == 1


def test_the_national_list_filters_by_year_and_hides_unit_days(client):
    """Unit days live on their calendar; the year filter narrows the list."""
    unit = WorkCalendarFactory()
    CalendarDay.objects.create(
        date=date(2025, 1, 1), kind=CalendarDayKind.HOLIDAY, is_day_off=True
    )
    CalendarDay.objects.create(
        date=date(2026, 1, 1), kind=CalendarDayKind.HOLIDAY, is_day_off=True
    )
    CalendarDay.objects.create(
        date=date(2026, 3, 2),
        kind=CalendarDayKind.LOCAL_DAY_OFF,
        is_day_off=True,
        calendar=unit,
    )
    url = reverse("admin:units_calendarday_changelist")
    assert client.get(url).context["cl"].result_count == 2
    rows = client.get(url, {"year": "2026"}).context["cl"].result_list
    assert [d.date for d in rows] == [date(2026, 1, 1)]


def work_calendar_data(
    calendar: WorkCalendar, periods: list[tuple[int | None, str, str]]
) -> dict:
    data = {
        "code": calendar.code,
        "name": calendar.name,
        **inline_management(
            "periods", total=len(periods), initial=sum(1 for p in periods if p[0])
        ),
        **inline_management("days"),
    }
    for index, (pk, start, end) in enumerate(periods):
        data |= {
            f"periods-{index}-id": pk or "",
            f"periods-{index}-calendar": calendar.pk,
            f"periods-{index}-start": start,
            f"periods-{index}-end": end,
        }
    return data


def test_office_hours_are_edited_inline_and_checked_as_a_whole(client):
    """Overlapping periods are a form error; moving both at once is fine."""
    unit = WorkCalendarFactory()
    morning = OfficePeriod.objects.create(calendar=unit, start="08:00", end="12:00")
    afternoon = OfficePeriod.objects.create(calendar=unit, start="13:00", end="17:00")
    url = reverse("admin:units_workcalendar_change", args=[unit.pk])

    overlapping = work_calendar_data(
        unit, [(morning.pk, "08:00", "13:30"), (afternoon.pk, "13:00", "17:00")]
    )
    response = client.post(url, overlapping)
    assert response.status_code == 200
    assert "chồng lên nhau" in response.content.decode()

    moved = work_calendar_data(
        unit, [(morning.pk, "08:00", "13:30"), (afternoon.pk, "13:30", "17:30")]
    )
    assert client.post(url, moved).status_code == 302
    assert calendars.get_calendar(unit).day_minutes == 330 + 240
    assert AuditLog.objects.filter(event_type="calendar_change").count() == 2


def test_adding_a_proposed_year_fills_in_its_statutory_days_off(client):
    """A proposed year arrives with python-holidays' days off, ready for review."""
    response = client.post(
        reverse("admin:units_calendaryear_add"),
        {"year": "2027", "status": YearStatus.PROPOSED, "source": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "Năm 2027: đã đề xuất" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2027).count() == len(
        calendars.statutory_days_off(2027)
    )
    listing = client.get(reverse("admin:units_calendaryear_changelist"))
    assert listing.context["cl"].result_list[0].day_count == len(
        calendars.statutory_days_off(2027)
    )


def test_the_propose_action_refuses_confirmed_years(client):
    """The action never writes over an official year, and says so."""
    year = CalendarYear.objects.create(year=2026, status=YearStatus.CONFIRMED)
    response = client.post(
        reverse("admin:units_calendaryear_changelist"),
        {"action": "propose_days_off", "_selected_action": [year.pk]},
        follow=True,
    )
    assert "đã có lịch nghỉ chính thức" in response.content.decode()
    assert not CalendarDay.objects.exists()
