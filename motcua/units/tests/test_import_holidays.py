"""``motcua import-holidays``: the official schedule into the national calendar."""

from datetime import date
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from motcua.audit.models import AuditLog
from motcua.units import calendars
from motcua.units.constants import CalendarDayKind, YearStatus
from motcua.units.models import CalendarDay, CalendarYear
from motcua.units.services import calendar_object_save, calendar_propose_year

pytestmark = pytest.mark.django_db

HEADER = (
    "date,weekday,kind,is_non_working_day,name_vi,name_en,legal_basis,source_url,note\n"
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_holidays", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "schedule.csv"
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_official_schedule_is_loaded_once():
    """46 national rows, kinds as in the file, 2024–2026 confirmed; a rerun writes nothing."""
    assert (
        run()
        == "days: 46 created, 0 updated, 0 removed; confirmed years: 2024, 2025, 2026\n"
    )
    national = CalendarDay.objects.filter(calendar__isnull=True)
    assert national.count() == 46
    assert (
        national.filter(kind=CalendarDayKind.MAKEUP_WORKDAY, is_day_off=False).count()
        == 4
    )
    assert national.filter(kind=CalendarDayKind.SWAPPED_DAY_OFF).count() == 4
    swap = national.get(date=date(2026, 1, 2))
    assert (swap.kind, swap.is_day_off) == (CalendarDayKind.SWAPPED_DAY_OFF, True)
    assert swap.legal_basis.startswith("Công văn 12729/VPCP-KGVX")
    culture_day = national.get(date=date(2026, 11, 24))
    assert (culture_day.kind, culture_day.is_day_off) == (
        CalendarDayKind.PENDING_HOLIDAY,
        None,
    )
    years = CalendarYear.objects.order_by("year")
    assert [(y.year, y.status) for y in years] == [
        (2024, YearStatus.CONFIRMED),
        (2025, YearStatus.CONFIRMED),
        (2026, YearStatus.CONFIRMED),
    ]
    assert "Công văn 2450/VPCP-KGVX" in years[0].source
    assert AuditLog.objects.filter(event_type="calendar_change").count() == 1

    assert (
        run()
        == "days: 0 created, 0 updated, 0 removed; confirmed years: 2024, 2025, 2026\n"
    )
    assert AuditLog.objects.filter(event_type="calendar_change").count() == 1


def test_the_calendar_follows_the_import_at_once():
    """Before the import 2/1/2026 is a working day (python-holidays); after, a day off."""
    before = calendars.get_calendar()
    assert before.is_working_day(date(2026, 1, 2))
    assert not before.is_confirmed(date(2026, 1, 2))
    run()
    after = calendars.get_calendar()
    assert not after.is_working_day(date(2026, 1, 2))
    assert after.is_working_day(date(2026, 1, 10))
    assert after.is_working_day(date(2026, 11, 24))
    assert after.is_confirmed(date(2026, 1, 2))


def test_an_administrators_decision_on_a_pending_holiday_survives_a_reload():
    """Loading the file again does not reopen the question of 24/11/2026."""
    run()
    culture_day = CalendarDay.objects.get(calendar=None, date=date(2026, 11, 24))
    culture_day.is_day_off = True
    calendar_object_save(obj=culture_day)
    assert "0 updated" in run()
    culture_day.refresh_from_db()
    assert culture_day.is_day_off is True
    assert not calendars.get_calendar().is_working_day(date(2026, 11, 24))


def test_a_new_years_schedule_replaces_the_proposal(tmp_path):
    """An official 2027 file turns the proposed year into a confirmed one."""
    calendar_propose_year(2027)
    proposed = set(
        CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)
    )
    assert date(2027, 2, 5) in proposed
    path = write(
        tmp_path,
        "2027-01-01,Fri,holiday,1,Tết Dương lịch,New Year,Bộ luật Lao động 2019,https://example.test/2027,",
        "2027-02-08,Mon,holiday,1,Tết,Tet,Công văn 1/VPCP,,",
        "2027-02-20,Sat,makeup_workday,0,Làm bù,Make-up,Công văn 1/VPCP,,",
    )
    assert run("--file", str(path)) == (
        f"days: 1 created, 2 updated, {len(proposed) - 2} removed; confirmed years: 2027\n"
    )
    assert sorted(
        CalendarDay.objects.filter(date__year=2027).values_list("date", "kind")
    ) == [
        (date(2027, 1, 1), CalendarDayKind.HOLIDAY),
        (date(2027, 2, 8), CalendarDayKind.HOLIDAY),
        (date(2027, 2, 20), CalendarDayKind.MAKEUP_WORKDAY),
    ]
    year = CalendarYear.objects.get(year=2027)
    assert year.status == YearStatus.CONFIRMED
    assert year.source == "Bộ luật Lao động 2019\nCông văn 1/VPCP"
    calendar = calendars.get_calendar()
    assert calendar.is_confirmed(date(2027, 6, 1))
    assert calendar.is_working_day(date(2027, 2, 5))
    assert calendar.is_working_day(date(2027, 2, 20))


def test_rows_an_administrator_added_to_a_confirmed_year_are_kept(tmp_path):
    """A reload of a confirmed year keeps, and reports, days added in the admin."""
    run()
    extra = CalendarDay(
        date=date(2026, 12, 31),
        kind=CalendarDayKind.HOLIDAY,
        is_day_off=True,
        name="Nghỉ thêm",
    )
    calendar_object_save(obj=extra)
    output = run()
    assert output.endswith(
        "kept (added by an administrator, not in the file): 2026-12-31\n"
    )
    assert CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()


BAD_ROWS = [
    ("2027-13-01,,holiday,1,,,,,", "line 2: '2027-13-01' is not a date"),
    ("2027-01-01,Mon,holiday,1,,,,,", "line 2: 2027-01-01 is a Fri, not a Mon"),
    ("2027-01-01,Fri,festival,1,,,,,", "line 2: unknown kind 'festival'"),
    ("2027-01-01,Fri,local_day_off,1,,,,,", "line 2: unknown kind 'local_day_off'"),
    ("2027-01-01,Fri,holiday,yes,,,,,", "is_non_working_day must be 1, 0 or empty"),
    ("2027-01-01,Fri,holiday,,,,,,", "may be empty only for a pending_holiday"),
    ("2027-02-20,Sat,makeup_workday,1,,,,,", "a makeup_workday is a working Saturday"),
    ("2027-02-22,Mon,makeup_workday,0,,,,,", "a makeup_workday is a working Saturday"),
    (
        "2027-01-01,Fri,holiday,1,,," + "a" * 256 + ",,",
        "legal_basis is longer than 255",
    ),
    ("2027-01-01,Fri,holiday,1,,,,,,extra", "line 2: wrong number of fields"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_and_nothing_is_written(tmp_path, row, message):
    """Each malformed row is named by its line; the import writes nothing."""
    path = write(tmp_path, "2027-05-03,Mon,compensatory,1,Nghỉ bù,,,,", row)
    with pytest.raises(CommandError) as raised:
        run("--file", str(path))
    assert message in str(raised.value).replace("line 3", "line 2")
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_bad_files_are_refused(tmp_path):
    """A missing file, a missing column, a repeated date, an empty or non-UTF-8 file."""
    cases = [
        (tmp_path / "missing.csv", "missing file: "),
        (
            write(tmp_path, "2027-01-01,holiday", header="date,kind\n"),
            "missing column(s) is_non_working_day",
        ),
    ]
    for path, message in cases:
        with pytest.raises(
            CommandError, match=message.replace("(", r"\(").replace(")", r"\)")
        ):
            run("--file", str(path))
    twice = write(
        tmp_path, "2027-01-01,Fri,holiday,1,,,,,", "2027-01-01,Fri,holiday,1,,,,,"
    )
    with pytest.raises(CommandError, match="2027-01-01 is listed twice"):
        run("--file", str(twice))
    empty = write(tmp_path)
    with pytest.raises(CommandError, match="no rows"):
        run("--file", str(empty))
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "2027-01-01,Fri,holiday,1,Tết,,,,\n").encode("utf-16"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--file", str(latin))
    assert not CalendarDay.objects.exists()
