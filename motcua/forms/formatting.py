"""
Vietnamese administrative formatting of dates, times and amounts, as pure
functions (no database, no Django settings).

Legal basis: Decree 30/2020/NĐ-CP Appendix I, part I.4(b): in the place and
date line, days below 10 and the months January and February take a leading
zero ("ngày 05 tháng 01 năm 2026", "ngày 15 tháng 3 năm 2026").
"""

from datetime import date, datetime
from decimal import Decimal

from motcua.core.calendar import LOCAL_TZ

BLANK = "…………"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment


def _day(value: date | datetime) -> date:
    return _local(value).date() if isinstance(value, datetime) else value


def date_words(value: date | datetime | None) -> str:
    """Return "ngày 05 tháng 01 năm 2026" (Decree 30 leading zeros), or blanks."""
    if value is None:
        return "ngày …… tháng …… năm ……"
    day = _day(value)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def time_words(value: datetime | None) -> str:
    """Return "09 giờ 00 phút, ngày 11 tháng 3 năm 2026", or blanks."""
    if value is None:
        return "…… giờ …… phút, " + date_words(None)
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, {date_words(local)}"


def short_time_words(value: datetime | None) -> str:
    """Return "09 giờ 00 phút, ngày 11/03/2026" for table cells, or blanks."""
    if value is None:
        return "…… giờ …… phút, ngày ……/……/………"
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def place_date(place: str, value: date | datetime | None) -> str:
    """Return the place and date line: "An Hòa, ngày 02 tháng 3 năm 2026"."""
    return f"{place}, {date_words(value)}" if place else date_words(value)


def short_date(value: date | datetime | None) -> str:
    """Return "02/03/2026" for tables, or an empty string."""
    if value is None:
        return ""
    return f"{_day(value):%d/%m/%Y}"


def short_time(value: datetime | None) -> str:
    """Return "09:00 02/03/2026" for tables, or an empty string."""
    if value is None:
        return ""
    return f"{_local(value):%H:%M %d/%m/%Y}"


def amount(value: Decimal | int | None, *, unit: str = "đồng") -> str:
    """Return "20.000 đồng": dots between thousands, as Vietnamese writes them."""
    if value is None:
        return ""
    number = int(Decimal(value).to_integral_value())
    digits = f"{abs(number):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    return f"{sign}{digits} {unit}".strip()


def duration_text(value: Decimal | int | None, unit: str) -> str:
    """Return the legal duration as printed: "07 ngày làm việc", "trong ngày"."""
    labels = {
        "working_days": "ngày làm việc",
        "working_hours": "giờ làm việc",
        "calendar_days": "ngày",
        "calendar_months": "tháng",
    }
    if unit == "immediate":
        return "Trong ngày làm việc"
    if value is None or unit not in labels:
        return BLANK
    number = Decimal(value)
    shown = (
        f"{int(number):02d}"
        if number == number.to_integral_value()
        else f"{number.normalize()}".replace(".", ",")
    )
    return f"{shown} {labels[unit]}"


def upper_vi(text: str) -> str:
    """Upper-case Vietnamese text (str.upper keeps the tone marks)."""
    return (text or "").upper()
