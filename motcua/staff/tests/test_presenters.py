"""Time left in words and status badges, as pure functions."""

from datetime import date, datetime

import pytest

from motcua.core.calendar import LOCAL_TZ, WorkingCalendar
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.models import Dossier
from motcua.staff.presenters import status_badge, urgency, working_time_text

CALENDAR = WorkingCalendar(
    first_year=2026, last_year=2026, days_off=[date(2026, 4, 30), date(2026, 5, 1)]
)


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "dưới 1 phút"),
        (45, "45 phút"),
        (180, "3 giờ"),
        (200, "3 giờ 20 phút"),
        (480, "1 ngày"),
        (480 * 2 + 240, "2 ngày 4 giờ"),
        (480 + 30, "1 ngày"),  # minutes are dropped once days count
    ],
)
def test_working_time_reads_in_days_hours_and_minutes(minutes, text):
    assert working_time_text(minutes, 480) == text


def dossier(**fields):
    return Dossier(**{"status": S.IN_PROGRESS, **fields})


@pytest.mark.parametrize(
    ("due", "now", "level", "label", "text"),
    [
        # Thursday 09:00; due next Tuesday 09:00: 3 working days (Fri, Mon, Tue).
        (
            at(2026, 3, 10, 9),
            at(2026, 3, 5, 9),
            "running",
            "Trong hạn",
            "còn 3 ngày làm việc",
        ),
        # Lunch does not count: 10:30 → 14:30 is 2 working hours.
        (
            at(2026, 3, 5, 14, 30),
            at(2026, 3, 5, 10, 30),
            "soon",
            "Sắp đến hạn",
            "còn 2 giờ làm việc",
        ),
        # Overdue since Friday 17:30, seen on Tuesday 17:30: Mon and Tue.
        (
            at(2026, 3, 6, 17, 30),
            at(2026, 3, 10, 17, 30),
            "overdue",
            "Quá hạn",
            "quá hạn 2 ngày làm việc",
        ),
        # Due 17:30, it is 18:00: late, but no working time has passed.
        (
            at(2026, 3, 5, 17, 30),
            at(2026, 3, 5, 18),
            "overdue",
            "Quá hạn",
            "đã quá hạn",
        ),
        # The holiday of 30/04–01/05 is no working time.
        (
            at(2026, 5, 4, 9),
            at(2026, 4, 29, 17, 30),
            "soon",
            "Sắp đến hạn",
            "còn 1 giờ 30 phút làm việc",
        ),
    ],
)
def test_time_left_is_working_time_in_words(due, now, level, label, text):
    result = urgency(dossier(due_at=due), now=now, calendar=CALENDAR)
    assert (result.level, result.label, result.text) == (level, label, text)


def test_an_online_dossier_counts_its_8_hours_for_acceptance():
    waiting = dossier(status=S.SUBMITTED, acceptance_due_at=at(2026, 3, 6, 9))
    result = urgency(waiting, now=at(2026, 3, 5, 15), calendar=CALENDAR)
    assert (result.label, result.text) == (
        "Chờ tiếp nhận",
        "còn 4 giờ làm việc để tiếp nhận",
    )
    late = urgency(waiting, now=at(2026, 3, 6, 10), calendar=CALENDAR)
    assert (late.badge, late.text) == ("overdue", "quá hạn tiếp nhận 1 giờ làm việc")


def test_a_paused_clock_is_said_and_never_late():
    paused = dossier(status=S.NEEDS_SUPPLEMENT, due_at=at(2026, 3, 1, 9))
    result = urgency(paused, now=at(2026, 3, 10, 9), calendar=CALENDAR)
    assert (result.level, result.badge, result.is_late) == ("paused", "paused", False)


def test_finished_dossiers_show_their_timeliness():
    done = dossier(status=S.RESOLVED, timeliness="late")
    result = urgency(done, now=at(2026, 3, 10, 9), calendar=CALENDAR)
    assert (result.badge, result.label, result.text) == (
        "overdue",
        "Trễ hạn",
        "chờ trả kết quả",
    )


def test_a_refusal_after_appraisal_has_the_refusal_badge():
    assert status_badge(dossier(status=S.RESOLVED, result_kind="refused")) == (
        "danger",
        "Từ chối giải quyết",
    )
    assert status_badge(dossier(status=S.RESOLVED))[0] == "success"
