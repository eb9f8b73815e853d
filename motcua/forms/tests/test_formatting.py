"""Vietnamese administrative formats of dates, times and amounts."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.core.calendar import LOCAL_TZ
from motcua.forms import formatting as fmt


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 2), "ngày 02 tháng 3 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_dates_take_a_leading_zero_below_10_and_in_january_and_february(day, text):
    """Decree 30/2020 Appendix I, I.4(b)."""
    assert fmt.date_words(day) == text


def test_times_are_written_in_words_in_local_time():
    moment = datetime(2026, 3, 11, 2, 5, tzinfo=ZoneInfo("UTC"))
    assert fmt.time_words(moment) == "09 giờ 05 phút, ngày 11 tháng 3 năm 2026"
    assert fmt.short_time_words(moment) == "09 giờ 05 phút, ngày 11/03/2026"
    assert fmt.short_time(moment) == "09:05 11/03/2026"
    assert fmt.short_date(moment) == "11/03/2026"


def test_missing_values_leave_lines_to_fill_in_by_hand():
    assert fmt.time_words(None) == "…… giờ …… phút, ngày …… tháng …… năm ……"
    assert fmt.short_time(None) == "" and fmt.short_date(None) == ""


def test_place_and_date_line():
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=LOCAL_TZ)
    assert (
        fmt.place_date("Lâm Hải Giang", moment)
        == "Lâm Hải Giang, ngày 02 tháng 3 năm 2026"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(20000), "20.000 đồng"),
        (0, "0 đồng"),
        (1250000, "1.250.000 đồng"),
        (Decimal(999), "999 đồng"),
    ],
)
def test_amounts_use_dots_between_thousands(value, text):
    assert fmt.amount(value) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal(7), "working_days", "07 ngày làm việc"),
        (Decimal("0.5"), "working_days", "0,5 ngày làm việc"),
        (Decimal(15), "calendar_days", "15 ngày"),
        (None, "immediate", "Trong ngày làm việc"),
        (None, "", "…………"),
    ],
)
def test_durations(value, unit, text):
    assert fmt.duration_text(value, unit) == text


def test_upper_case_keeps_vietnamese_tone_marks():
    assert fmt.upper_vi("UBND xã An Hòa") == "UBND XÃ AN HÒA"
