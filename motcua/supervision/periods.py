"""
Reporting periods: a half-open interval [start, end) of Hanoi time.

A day, a month, a quarter, a year or any custom range of days. Figures "at
the end of the period" are measured at ``end`` (or now, for a period not yet
over): Decision 766 evaluates unfinished dossiers at the period end
(legal-spec §9.4 rule 6).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import ValidationFailed


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # day, month, quarter, year, range
    first: date  # first day included
    last: date  # last day included

    @property
    def start(self) -> datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        """The instant just after the period (exclusive)."""
        return _midnight(self.last + timedelta(days=1))

    def measured_at(self, now: datetime | None = None) -> datetime:
        """The instant figures "at the end of the period" are measured at."""
        return min(self.end, now or timezone.now())

    @property
    def key(self) -> str:
        """The period as a URL parameter (``month:2026-03``, ``range:…``)."""
        if self.kind == "day":
            return f"day:{self.first.isoformat()}"
        if self.kind == "month":
            return f"month:{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"quarter:{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"year:{self.first.year}"
        return f"range:{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "day":
            return f"{_('Ngày')} {self.first:%d/%m/%Y}"
        if self.kind == "month":
            return f"{_('Tháng')} {self.first:%m/%Y}"
        if self.kind == "quarter":
            return f"{_('Quý')} {(self.first.month - 1) // 3 + 1}/{self.first.year}"
        if self.kind == "year":
            return f"{_('Năm')} {self.first.year}"
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    def previous(self) -> "Period":
        """Return the period of the same kind just before this one."""
        if self.kind == "day":
            return day(self.first - timedelta(days=1))
        if self.kind == "month":
            return month(
                (self.first - timedelta(days=1)).year,
                (self.first - timedelta(days=1)).month,
            )
        if self.kind == "quarter":
            before = self.first - timedelta(days=1)
            return quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.first.year - 1)
        length = self.last - self.first
        return custom(
            self.first - length - timedelta(days=1), self.first - timedelta(days=1)
        )


def day(on: date) -> Period:
    return Period("day", on, on)


def month(y: int, m: int) -> Period:
    first = date(y, m, 1)
    return Period("month", first, _next_month(first) - timedelta(days=1))


def quarter(y: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise ValueError("A quarter is 1 to 4.")
    first = date(y, 3 * q - 2, 1)
    last = _next_month(date(y, 3 * q, 1)) - timedelta(days=1)
    return Period("quarter", first, last)


def year(y: int) -> Period:
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def custom(first: date, last: date) -> Period:
    if last < first:
        raise ValueError("A period ends after it starts.")
    return Period("range", first, last)


def current(kind: str = "month", *, today: date | None = None) -> Period:
    """Return the period of ``kind`` that contains ``today``."""
    today = today or timezone.localdate()
    if kind == "day":
        return day(today)
    if kind == "quarter":
        return quarter(today.year, (today.month - 1) // 3 + 1)
    if kind == "year":
        return year(today.year)
    return month(today.year, today.month)


_PATTERNS = (
    (re.compile(r"^day:(\d{4}-\d{2}-\d{2})$"), lambda m: day(date.fromisoformat(m[1]))),
    (re.compile(r"^month:(\d{4})-(\d{2})$"), lambda m: month(int(m[1]), int(m[2]))),
    (
        re.compile(r"^quarter:(\d{4})-Q([1-4])$"),
        lambda m: quarter(int(m[1]), int(m[2])),
    ),
    (re.compile(r"^year:(\d{4})$"), lambda m: year(int(m[1]))),
    (
        re.compile(r"^range:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"),
        lambda m: custom(date.fromisoformat(m[1]), date.fromisoformat(m[2])),
    ),
)
# A custom range longer than this is refused: reports are sized for years.
MAX_RANGE_DAYS = 3 * 366


def parse(key: str | None, *, default: Period | None = None) -> Period:
    """
    Return the period named by ``key`` (``Period.key`` syntax), ``default``
    (the current month) when empty; raise ValidationFailed when malformed.
    """
    if not key:
        return default or current("month")
    for pattern, build in _PATTERNS:
        match = pattern.match(key.strip())
        if match:
            try:
                period = build(match)
            except ValueError:
                break
            if (period.last - period.first).days > MAX_RANGE_DAYS:
                break
            return period
    raise ValidationFailed(
        _("Kỳ báo cáo không hợp lệ."), code="period_invalid", extra={"period": key}
    )


def months_back(count: int, *, until: Period) -> list[Period]:
    """Return the ``count`` months ending with the month of ``until.last``."""
    result = [month(until.last.year, until.last.month)]
    while len(result) < count:
        result.append(result[-1].previous())
    return list(reversed(result))
