"""
Read the national catalogue's free text: durations, cut-off times, fees,
channels, implementing levels, documents and results.

Pure functions, no database: each takes the strings of one record and returns
plain values plus notes saying what could not be read. Nothing here raises on
odd input; an unknown shape becomes a note (and, for a duration, a reason
code), so that the importer can record it instead of dropping the record.

The shapes handled are those of data/vn-tthc-catalog/ (see its README): the
portal's table "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" scraped into
``submission_channels`` rows, and the Ministry of Defence export's real tables.
The decisions on ambiguous data are written next to the rule that applies them.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from motcua.core.text import fold, normalize_name

from .constants import Channel, CopyType, DurationUnit, FeeKind, ImplementingLevel

TRUNCATION_MARK = "…[truncated]"
NO_INFORMATION = "Không có thông tin"


class DurationProblem(StrEnum):
    """Why a record has no usable duration (stable codes for the report)."""

    NO_DURATION = "no_duration"  # empty, "Không có thông tin", "Không"
    NOT_REGULATED = "not_regulated"  # "Không quy định": the law sets none
    PLACEHOLDER_ONE = "placeholder_one"  # bare "1", no unit, nothing confirms it
    ZERO_WITHOUT_UNIT = "zero_without_unit"  # bare "0"
    GLUED_TO_FEE = "glued_to_fee"  # the time cell ran into the fee amount
    UNPARSED = "unparsed"  # text we cannot read as a duration
    NO_CHANNELS = "no_channels"  # the record has no channel row at all


DURATION_PROBLEM_LABELS = {
    DurationProblem.NO_DURATION: "không có thời hạn (Không có thông tin)",
    DurationProblem.NOT_REGULATED: "pháp luật không quy định thời hạn",
    DurationProblem.PLACEHOLDER_ONE: "chỉ ghi số 1 không có đơn vị (giá trị mặc định của cổng)",
    DurationProblem.ZERO_WITHOUT_UNIT: "ghi số 0 không có đơn vị",
    DurationProblem.GLUED_TO_FEE: "thời hạn dính liền với mức phí, không tách được",
    DurationProblem.UNPARSED: "thời hạn không đọc được",
    DurationProblem.NO_CHANNELS: "không có cách thức thực hiện",
}


class Confidence(StrEnum):
    """How sure we are of a duration's unit, best first."""

    EXPLICIT = "explicit"  # the unit is written next to the number
    CONFIRMED = "confirmed"  # bare number, the same number with a unit is in the text
    ASSUMED = "assumed"  # bare number, working days assumed


_CONFIDENCE_RANK = {
    Confidence.EXPLICIT: 0,
    Confidence.CONFIRMED: 1,
    Confidence.ASSUMED: 2,
}


@dataclass(frozen=True, slots=True)
class ParsedDuration:
    """A duration read from text; ``unit`` is None when there is none."""

    value: Decimal | None = None
    unit: DurationUnit | None = None
    source: str = ""
    confidence: Confidence = Confidence.EXPLICIT
    bare: bool = False  # a number without a unit, not yet resolved
    number_text: str = ""  # the number as written, e.g. "10-25" or "05"
    problem: DurationProblem | None = None
    notes: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.unit is not None and not self.bare

    @property
    def label(self) -> str:
        if self.unit is None:
            return self.source or NO_INFORMATION
        if self.unit == DurationUnit.IMMEDIATE:
            return str(DurationUnit.IMMEDIATE.label)
        return f"{_format_decimal(self.value)} {DurationUnit(self.unit).label}"


# -- text ------------------------------------------------------------------


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def _build_fold_tables() -> tuple[dict[int, str | None], dict[int, str]]:
    # Precomputed per character with core.text.fold, so that the fast folds
    # below agree with it; the catalogue's long texts are folded thousands of
    # times per import and a per-character generator is too slow for that.
    compact: dict[int, str | None] = {}
    aligned: dict[int, str] = {}
    for codepoint in range(0x00C0, 0x1EFA):
        char = chr(codepoint)
        if unicodedata.combining(char):
            compact[codepoint] = None
            continue
        folded = fold(char)
        if folded != char and len(folded) == 1:
            compact[codepoint] = aligned[codepoint] = folded
    return compact, aligned


_FOLD_COMPACT, _FOLD_ALIGNED = _build_fold_tables()
_SPACES = re.compile(r"\s+")


def fast_fold(text: str | None) -> str:
    """Return ``core.text.fold(text)`` for NFC text, quickly."""
    if not text:
        return ""
    folded = _nfc(text).translate(_FOLD_COMPACT).lower()
    return _SPACES.sub(" ", folded).strip()


def fold_aligned(text: str | None) -> str:
    """
    Return ``text`` folded like ``fast_fold`` but character for character
    (spaces kept as they are), so that a match in the folded text has the
    same positions in the NFC original.
    """
    original = _nfc(text)
    folded = original.translate(_FOLD_ALIGNED).lower()
    if len(folded) != len(original):  # a rare letter lower-cases to two
        folded = "".join(c.translate(_FOLD_ALIGNED).lower()[:1] for c in original)
    return folded


# -- numbers ---------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)?"


def _format_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def parse_decimal(text: str) -> Decimal | None:
    """
    Return a small number written "7", "07", "0,5" or "1.5", else None.

    Durations are small, so a single "." or "," is a decimal separator here;
    money goes through ``parse_amount``, where they separate thousands.
    """
    text = (text or "").strip()
    if not re.fullmatch(_NUMBER, text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern rules it out
        return None


# -- durations -------------------------------------------------------------

# Units as they read once folded (no diacritics, lower case). Longest first,
# so that "ngay lam viec" wins over "ngay".
_UNITS: list[tuple[str, DurationUnit, Decimal]] = [
    ("ngay lam viec", DurationUnit.WORKING_DAYS, Decimal(1)),
    ("gio lam viec", DurationUnit.WORKING_HOURS, Decimal(1)),
    ("ngay", DurationUnit.CALENDAR_DAYS, Decimal(1)),
    ("gio", DurationUnit.WORKING_HOURS, Decimal(1)),
    ("phut", DurationUnit.WORKING_HOURS, Decimal(1) / Decimal(60)),
    ("tuan", DurationUnit.CALENDAR_DAYS, Decimal(7)),
    ("thang", DurationUnit.CALENDAR_MONTHS, Decimal(1)),
    ("nam", DurationUnit.CALENDAR_MONTHS, Decimal(12)),
]
_UNIT_PATTERN = "|".join(re.escape(name) for name, _, _ in _UNITS)
_UNIT_BY_NAME = {name: (unit, factor) for name, unit, factor in _UNITS}

_DURATION = re.compile(
    rf"""^(?:(?:tu|trong|trong vong|trong thoi han|khong qua|toi da|chi)\s+)*
    (?P<a>{_NUMBER})
    (?:\s*(?:-|–|den|toi)\s*(?P<b>{_NUMBER}))?
    \s*(?:\([^)]*\))?\s*
    (?P<unit>{_UNIT_PATTERN})?\b
    (?P<rest>.*)$""",
    re.VERBOSE | re.DOTALL,
)
_NOTHING = {
    "",
    "khong co thong tin",
    "khong",
    "khong co",
    "-",
    "--",
    "chua co thong tin",
}
_NOT_REGULATED = {
    "khong quy dinh",
    "khong quy dinh thoi han",
    "khong quy dinh thoi han giai quyet",
}
# Legal basis: D118 and the national database use "trong ngày" / "ngay" for
# procedures resolved on the day of reception (legal-spec §6.1).
_IMMEDIATE = re.compile(
    r"^(?:trong ngay(?: lam viec)?|ngay|giai quyet ngay|tra (?:ket qua )?ngay|"
    r"ngay trong ngay(?: lam viec)?|ngay khi .*|ngay sau khi .*|ngay lap tuc|tuc thi)\.?$"
)


def parse_duration(text: str | None) -> ParsedDuration:
    """
    Read a duration such as "7 Ngày làm việc", "30 Ngày", "01 Giờ",
    "0,5 ngày làm việc", "3 - 5 ngày", "Trong ngày" or "Không có thông tin".

    Units: "Ngày làm việc" is working days, "Ngày" calendar days, "Giờ" working
    hours, "Tháng" calendar months; minutes, weeks and years are converted to
    hours, days and months. A range takes its maximum, the longest time the
    law allows. Zero with a unit ("0 Giờ") and the immediate phrases are
    ``immediate``. A number with no unit comes back with ``bare=True`` for
    ``resolve_bare_number`` to decide with the record's other text.
    """
    source = normalize_name(text)
    folded = fast_fold(source).strip(" .;:")
    if folded in _NOTHING:
        return ParsedDuration(source=source, problem=DurationProblem.NO_DURATION)
    if folded in _NOT_REGULATED or folded.startswith("khong quy dinh"):
        return ParsedDuration(source=source, problem=DurationProblem.NOT_REGULATED)
    if _IMMEDIATE.match(folded):
        return ParsedDuration(unit=DurationUnit.IMMEDIATE, source=source)
    match = _DURATION.match(folded)
    if match is None:
        return ParsedDuration(source=source, problem=DurationProblem.UNPARSED)
    low = parse_decimal(match["a"])
    high = parse_decimal(match["b"]) if match["b"] else None
    value = max(v for v in (low, high) if v is not None)
    notes: list[str] = []
    number_text = match["a"] if high is None else f"{match['a']}-{match['b']}"
    if high is not None:
        notes.append(
            f"Thời hạn ghi khoảng {number_text}: lấy mức tối đa {_format_decimal(value)}."
        )
    rest = match["rest"].strip(" .;:,")
    if rest:
        notes.append(f"Phần chữ sau thời hạn không đọc: «{rest[:80]}».")
    if match["unit"] is None:
        return ParsedDuration(
            value=value,
            source=source,
            bare=True,
            number_text=number_text,
            notes=tuple(notes),
        )
    unit, factor = _UNIT_BY_NAME[match["unit"]]
    if value == 0:
        # "0 Giờ" in the Ministry of Defence export means "ngay sau khi tiếp
        # nhận": resolved on the spot.
        return ParsedDuration(
            unit=DurationUnit.IMMEDIATE,
            source=source,
            number_text=number_text,
            notes=tuple(notes),
        )
    return ParsedDuration(
        value=(value * factor).quantize(Decimal("0.01")),
        unit=unit,
        source=source,
        number_text=number_text,
        notes=tuple(notes),
    )


def parse_channel_duration(
    time_value: str | None, time_unit: str | None
) -> ParsedDuration:
    """Read the scraper's ``time_value`` and ``time_unit`` of a channel row."""
    return parse_duration(f"{time_value or ''} {time_unit or ''}".strip())


def _number_pattern(number_text: str) -> str:
    parts = [p for p in re.split(r"-", number_text) if p]
    numbers = [rf"0*{re.escape(p.lstrip('0') or '0')}" for p in parts]
    return r"\s*(?:-|–|den|toi)\s*".join(numbers)


_SAME_DAY = re.compile(
    r"ngay trong ngay|tra ket qua ngay|giai quyet ngay|ngay sau khi nhan"
    r"|sau 1[0-7] ?(?:gio|h)\b.{0,80}trong ngay lam viec tiep theo"
)


def resolve_bare_number(
    duration: ParsedDuration, context: str | None
) -> ParsedDuration:
    """
    Give a unit to a bare number (the portal omitted it), or say why not.

    Decision (data/vn-tthc-catalog README): 757 CSDLQG rows carry a number with
    no unit. When the record's own text states the same number with a unit
    ("trong thời hạn 05 ngày làm việc"), that unit is used: 125 of the 138
    confirmed rows say working days. A bare "1" that nothing confirms is not
    a duration: "1" is 79 % of bare rows but under 5 % of rows with a unit, so
    it is the portal's default, not a decision. A bare "0" is nothing either.
    Any other bare number is taken as working days: their distribution (5, 3,
    2, 7 most frequent) is that of the working-day rows, not of the calendar
    day rows (30, 15, 10), and the note says the unit was assumed. A bare "1"
    whose text says the result is given on the day ("ngay trong ngày", or
    "sau 15 giờ … trong ngày làm việc tiếp theo" as for birth registration)
    is ``immediate``.
    """
    if not duration.bare:
        return duration
    folded = fast_fold(context)
    pattern = re.compile(
        rf"(?<![\d.,/]){_number_pattern(duration.number_text)}\s*(?:\([^)]*\)\s*)?"
        rf"(?P<unit>{_UNIT_PATTERN})\b"
    )
    found = {m["unit"] for m in pattern.finditer(folded)}
    for name, unit, factor in _UNITS:
        if name in found and duration.value is not None and duration.value > 0:
            return replace(
                duration,
                value=(duration.value * factor).quantize(Decimal("0.01")),
                unit=unit,
                bare=False,
                confidence=Confidence.CONFIRMED,
                notes=(
                    *duration.notes,
                    f"Cổng không ghi đơn vị của «{duration.number_text}»; "
                    f"lấy đơn vị «{DurationUnit(unit).label}» theo nội dung thủ tục.",
                ),
            )
    if duration.value == 0:
        return replace(duration, bare=False, problem=DurationProblem.ZERO_WITHOUT_UNIT)
    if duration.value == 1 and _SAME_DAY.search(folded):
        # Law on Civil Status Art.16 and others: resolved on the day, or the
        # next working day when received after the cut-off; "1" is that day.
        return replace(
            duration,
            value=None,
            unit=DurationUnit.IMMEDIATE,
            bare=False,
            confidence=Confidence.CONFIRMED,
            notes=(
                *duration.notes,
                "Cổng ghi «1» không có đơn vị; nội dung thủ tục quy định giải quyết "
                "trong ngày: lấy «trong ngày».",
            ),
        )
    if duration.value == 1:
        return replace(duration, bare=False, problem=DurationProblem.PLACEHOLDER_ONE)
    return replace(
        duration,
        unit=DurationUnit.WORKING_DAYS,
        bare=False,
        confidence=Confidence.ASSUMED,
        notes=(
            *duration.notes,
            f"Cổng không ghi đơn vị của «{duration.number_text}»; "
            "giả định là ngày làm việc, cần kiểm tra.",
        ),
    )


# An upper bound of each unit in working minutes, only to compare durations of
# different units (8-hour days; a calendar day counts as a whole working day).
_UPPER_MINUTES = {
    DurationUnit.IMMEDIATE: Decimal(0),
    DurationUnit.WORKING_HOURS: Decimal(60),
    DurationUnit.WORKING_DAYS: Decimal(480),
    DurationUnit.CALENDAR_DAYS: Decimal(480),
    DurationUnit.CALENDAR_MONTHS: Decimal(31 * 480),
}


def duration_upper_minutes(duration: ParsedDuration) -> Decimal:
    """Return an upper bound of ``duration`` in working minutes (for ordering)."""
    if duration.unit is None:
        return Decimal(-1)
    if duration.unit == DurationUnit.IMMEDIATE:
        return Decimal(0)
    return (duration.value or Decimal(0)) * _UPPER_MINUTES[duration.unit]


# -- cut-off time ----------------------------------------------------------

_CUTOFF = re.compile(
    r"(?:tiep nhan|nhan|nop)\b[^.;]{0,60}?\bsau\s+(?P<h>\d{1,2})\s*(?:gio|h|:)\s*(?P<m>\d{2})?"
    r"(?!\s*(?:ke tu|tinh tu))"
)


_CUTOFF_HINT = re.compile(r"sau\s+\d", re.IGNORECASE)


def parse_cutoff(*texts: str | None) -> time | None:
    """
    Return the reception cut-off time stated in the texts, e.g. 15:00 for
    "nếu tiếp nhận hồ sơ sau 15 giờ thì …" or "nhận hồ sơ sau 15h".

    Only a clock time inside office hours (10:00–17:59) after a word about
    receiving counts, so that "sau 24 giờ kể từ…" (a duration) is not one.
    Legal basis: Decree 118/2025 Art.18(2) and the procedures' own records.
    """
    for text in texts:
        if not text or not _CUTOFF_HINT.search(text):
            continue
        for match in _CUTOFF.finditer(fast_fold(text)):
            hour, minute = int(match["h"]), int(match["m"] or 0)
            if 10 <= hour <= 17 and minute < 60:
                return time(hour, minute)
    return None


# -- channels and levels ---------------------------------------------------

_CHANNELS = {
    "truc tiep": Channel.COUNTER,
    "truc tuyen": Channel.ONLINE,
    "dich vu buu chinh": Channel.POST,
    "buu chinh": Channel.POST,
    "qua buu chinh": Channel.POST,
    "buu chinh cong ich": Channel.POST,
}
CHANNEL_ORDER = (Channel.COUNTER, Channel.ONLINE, Channel.POST)


def parse_channel(text: str | None) -> Channel | None:
    """Return the channel of "Trực tiếp", "Trực tuyến" or "Dịch vụ bưu chính"."""
    return _CHANNELS.get(fast_fold(text).strip(" .:;"))


_LEVELS = {
    "cap bo": ImplementingLevel.MINISTRY,
    "cap trung uong": ImplementingLevel.MINISTRY,
    "cap tinh": ImplementingLevel.PROVINCE,
    "cap xa": ImplementingLevel.COMMUNE,
    "co quan khac": ImplementingLevel.OTHER,
}


def parse_levels(text: str | None) -> tuple[list[str], list[str]]:
    """
    Return the implementing levels of "Cấp bộ, Cấp tỉnh, Cấp xã" (in order,
    without repeats) and the parts that are not a known level.
    """
    levels: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;/]", text or ""):
        folded = fast_fold(part).strip(" .")
        if not folded:
            continue
        level = _LEVELS.get(folded)
        if level is None:
            unknown.append(part.strip())
        elif level.value not in levels:
            levels.append(level.value)
    return levels, unknown


# -- money -----------------------------------------------------------------

_VND_WORDS = r"viet nam dong|vnd|dong|d\b"
_CURRENCY = re.compile(rf"(?P<vnd>{_VND_WORDS})|(?P<foreign>usd|\$|eur|euro)")
_AMOUNT = re.compile(
    rf"(?<![\d.,/])(?P<number>\d{{1,3}}(?:[.,]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)"
    rf"\s*(?P<scale>trieu|nghin|ngan)?\s*(?P<currency>{_VND_WORDS}|usd|\$|eur|euro)"
    r"(?P<per>\s*/\s*(?:01\s+|1\s+)?[^\s,.;()/]+(?:\s+[^\s,.;()/]+)?)?"
)
_SCALES = {"trieu": Decimal(1_000_000), "nghin": Decimal(1000), "ngan": Decimal(1000)}
# Below this an amount in đồng is not a real fee: the portal sometimes stores
# thousands ("20 VNĐ" for 20.000 đ) and uses 1 as a placeholder.
MIN_PLAUSIBLE_VND = Decimal(1000)


def parse_amount(number: str) -> Decimal | None:
    """
    Return the value of a money figure: "150,000", "10.000", "2.000.000",
    "20000", "1.5" (a decimal, used with USD), or None.
    """
    number = number.strip()
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", number):
        return Decimal(re.sub(r"[.,]", "", number))
    if re.fullmatch(r"\d+(?:[.,]\d{1,2})?", number):
        return Decimal(number.replace(",", "."))
    return None


@dataclass(frozen=True, slots=True)
class MoneyMention:
    amount: Decimal
    currency: str  # "VND", or the foreign currency ("USD")
    text: str  # as written, e.g. "10.000 đồng/bản"
    per: str = ""  # what the amount is counted by, e.g. "bản", "hồ sơ"
    start: int = 0


# A number right after these words is a year, a date or an article, not money.
_NOT_MONEY_BEFORE = re.compile(r"(?:nam|ngay|thang|so|dieu|khoan|muc|diem|phu luc)\s*$")


def find_amounts(text: str | None) -> list[MoneyMention]:
    """Return every amount with a currency in ``text``, in order."""
    original = _nfc(text)
    folded = fold_aligned(original)
    mentions = []
    for match in _AMOUNT.finditer(folded):
        amount = parse_amount(match["number"])
        if amount is None or _NOT_MONEY_BEFORE.search(
            folded[max(0, match.start() - 12) : match.start()]
        ):
            continue
        if match["scale"]:
            amount *= _SCALES[match["scale"]]
        currency_match = _CURRENCY.fullmatch(match["currency"])
        currency = (
            "VND"
            if currency_match is not None and currency_match["vnd"]
            else match["currency"].upper().replace("$", "USD")
        )
        per = original[match.start("per") : match.end("per")] if match["per"] else ""
        mentions.append(
            MoneyMention(
                amount=amount,
                currency=currency,
                text=original[match.start() : match.end()].strip(),
                per=per.strip().lstrip("/").strip(),
                start=match.start(),
            )
        )
    return mentions


# -- fees ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeAmount:
    """An amount in đồng due for a procedure."""

    amount: Decimal
    kind: FeeKind | None = None  # None: the text does not say phí or lệ phí
    note: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFees:
    """Fees read from one text: amounts in đồng, and notes for the rest."""

    amounts: tuple[FeeAmount, ...] = ()
    free: bool = False  # the text says there is nothing to pay
    known: bool = True  # False for "Không có thông tin" and unreadable text
    notes: tuple[str, ...] = ()


def _balanced(text: str, start: int) -> int:
    """Return the index after the parenthesised group opening at ``start``."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _take_note(text: str) -> tuple[str, str]:
    """Split a leading "(…)" note from ``text``; return (note, rest)."""
    stripped = text.lstrip()
    if not stripped.startswith("("):
        return "", text
    end = _balanced(stripped, 0)
    closed = stripped[end - 1 : end] == ")"
    return stripped[1 : end - 1 if closed else end].strip(), stripped[end:]


def _split_parentheses(text: str) -> tuple[str, list[str]]:
    """Return ``text`` without its parenthesised parts, and those parts."""
    outside: list[str] = []
    inside: list[str] = []
    index = 0
    while index < len(text):
        opening = text.find("(", index)
        if opening < 0:
            outside.append(text[index:])
            break
        outside.append(text[index:opening])
        end = _balanced(text, opening)
        inside.append(text[opening + 1 : end].rstrip(")").strip())
        index = end
    return " ".join(part.strip() for part in outside if part.strip()), inside


def _kind_of(text: str) -> FeeKind | None:
    folded = fast_fold(text)
    if "le phi" in folded:
        return FeeKind.CHARGE
    if re.search(r"(?<!le )(?<!mien )\bphi\b", folded):
        return FeeKind.FEE
    return None


def _vnd(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", ".") + " đồng"


_COUNCIL = re.compile(r"hoi dong nhan dan|hdnd")


def _notes_about(note: str, *, free: bool) -> list[str]:
    """Return what a fee note says that no amount records."""
    notes = []
    if _COUNCIL.search(fast_fold(note)):
        notes.append("Mức phí, lệ phí do Hội đồng nhân dân cấp tỉnh quyết định.")
    if free:
        mentioned = [
            m
            for m in find_amounts(note)
            if m.currency == "VND" and m.amount >= MIN_PLAUSIBLE_VND
        ]
        if mentioned:
            listed = ", ".join(m.text for m in mentioned[:3])
            notes.append(
                f"Cổng ghi «Miễn phí» nhưng ghi chú nêu mức thu ({listed}): cần kiểm tra."
            )
    return notes


def _money_fee(mention: MoneyMention, note: str, kind: FeeKind | None) -> ParsedFees:
    """Turn one amount of a fee cell into a fee, or into a note saying why not."""
    if mention.currency != "VND":
        # Fees are collected in đồng; a USD rate is converted by the agency on
        # the day, so it is kept as a note, not as an amount.
        return ParsedFees(
            notes=(
                f"Mức thu bằng ngoại tệ «{mention.text}»: không ghi thành khoản thu bằng đồng.",
            )
        )
    if mention.amount == 0:
        return ParsedFees(free=True)
    if mention.amount < MIN_PLAUSIBLE_VND:
        # "20 VNĐ(20.000 vnđ /tờ khai)": the portal stored thousands. Recover
        # the amount only when the note states it in full.
        scaled = mention.amount * 1000
        if any(m.currency == "VND" and m.amount == scaled for m in find_amounts(note)):
            return ParsedFees(
                amounts=(FeeAmount(scaled, kind, note),),
                notes=(f"Cổng ghi «{mention.text}»; lấy {_vnd(scaled)} theo ghi chú.",),
            )
        return ParsedFees(
            known=False,
            notes=(
                f"Mức thu «{mention.text}» không hợp lý (dưới 1.000 đồng): không ghi nhận.",
            ),
        )
    per = f"Tính theo {mention.per}." if mention.per else ""
    return ParsedFees(
        amounts=(FeeAmount(mention.amount, kind, " ".join(filter(None, [note, per]))),)
    )


def _combine(fees: Iterable[ParsedFees]) -> ParsedFees:
    parts = list(fees)
    amounts = tuple(a for p in parts for a in p.amounts)
    return ParsedFees(
        amounts=amounts,
        free=bool(parts) and not amounts and all(p.free for p in parts),
        known=any(p.known for p in parts),
        notes=tuple(unique(n for p in parts for n in p.notes)),
    )


_FEE_CELL_AMOUNT = re.compile(
    r"^\s*(?P<number>\d[\d.,]*)\s*(?P<currency>Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD|EUR)",
    re.IGNORECASE,
)


def parse_fee_cell(text: str | None) -> tuple[ParsedFees, str]:
    """
    Read the fee cell at the start of a CSDLQG ``fee_and_note_raw`` (after the
    time cell) and return it with the rest of the text (the "Mô tả" cell).

    Shapes: "Miễn phí", "Miễn phí(note)", "Không có thông tin", "Không",
    "150,000 Việt Nam Đồng(note)", "10 USD(10USD/giấy)". The cell's amount is
    the fee; amounts inside its note are kept as notes, since they describe
    other cases or repeat the amount.
    """
    stripped = _nfc(text).lstrip()
    head = fast_fold(stripped[:20])
    if head.startswith("mien phi"):
        note, rest = _take_note(stripped[len("Miễn phí") :])
        return ParsedFees(free=True, notes=tuple(_notes_about(note, free=True))), rest
    if stripped.startswith(NO_INFORMATION):
        return ParsedFees(known=False), stripped[len(NO_INFORMATION) :]
    match = _FEE_CELL_AMOUNT.match(stripped)
    if match:
        note, rest = _take_note(stripped[match.end() :])
        mentions = find_amounts(stripped[: match.end()])
        if not mentions:
            return (
                ParsedFees(
                    known=False,
                    notes=(f"Mức thu «{match[0].strip()}» không đọc được.",),
                ),
                rest,
            )
        fees = _money_fee(mentions[0], note, _kind_of(note))
        extra = tuple(_notes_about(note, free=False))
        return replace(fees, notes=(*fees.notes, *extra)), rest
    if head.startswith("khong"):
        return ParsedFees(free=True), stripped[len("Không") :]
    return ParsedFees(known=False), stripped


_FEE_ENTRY = re.compile(r"(?:^|\n)\s*(?P<label>lệ phí|phí)\s*:", re.IGNORECASE)
_FREE_WORDS = {
    "mien phi",
    "khong",
    "khong thu",
    "khong thu phi",
    "0",
    "0 dong",
    "khong dong",
    "o dong",
    "0 vnd",
}


def parse_fee_text(text: str | None) -> ParsedFees:
    """
    Read fees written as free text: "Miễn phí", "Không", "150,000 Việt Nam
    Đồng", "10.000 đồng/bản", the Ministry of Defence's "Phí : 50.000 Đồng
    (note)\\nLệ phí : 01 USD", or "Mức lệ phí … do Hội đồng nhân dân tỉnh
    quyết định" (no amount, a note).

    Each "Phí :"/"Lệ phí :" entry is one fee whose amount opens the entry;
    without such labels every amount outside parentheses is one. Amounts in
    parentheses, in foreign currency, or missing become notes.
    """
    text = _nfc(text).strip()
    folded = fast_fold(text).strip(" .")
    if folded in _NOTHING - {"khong"}:
        return ParsedFees(known=False)
    if folded in _FREE_WORDS:
        return ParsedFees(free=True)
    entries = list(_FEE_ENTRY.finditer(text))
    if not entries:
        return _parse_fee_entry(text, None, anchored=False)
    parts = []
    for index, entry in enumerate(entries):
        end = entries[index + 1].start() if index + 1 < len(entries) else len(text)
        kind = (
            FeeKind.CHARGE
            if fast_fold(entry["label"]).startswith("le")
            else FeeKind.FEE
        )
        parts.append(_parse_fee_entry(text[entry.end() : end], kind, anchored=True))
    return _combine(parts)


def _parse_fee_entry(body: str, kind: FeeKind | None, *, anchored: bool) -> ParsedFees:
    """Read one fee entry: amounts outside parentheses, notes inside."""
    body = re.sub(r"\s*File đính kèm:.*", "", body, flags=re.S).strip()
    outside, inside = _split_parentheses(body)
    note = "; ".join(part for part in inside if part)
    folded = fast_fold(outside).strip(" .:;")
    if folded in _FREE_WORDS or folded.startswith(("mien phi", "khong thu")):
        return ParsedFees(free=True, notes=tuple(_notes_about(note, free=True)))
    mentions = find_amounts(outside)
    if anchored:
        # "Phí : Mức thu bằng 50% … năm 2016 Đồng": the amount must open the entry.
        mentions = [
            m for m in mentions[:1] if m.start == len(outside) - len(outside.lstrip())
        ]
    if not mentions:
        notes = _notes_about(body, free=False) or [
            f"Phí, lệ phí không có mức thu cụ thể: «{body[:120]}»."
            if body
            else "Phí, lệ phí không ghi mức thu."
        ]
        return ParsedFees(known=False, notes=tuple(notes))
    fees = _combine(
        _money_fee(m, note, kind or _kind_of(f"{outside} {note}")) for m in mentions
    )
    return replace(fees, notes=(*fees.notes, *_notes_about(note, free=False)))


# -- channel rows ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """One row of the portal's table: a channel, its time, fees and description."""

    channel: Channel | None
    channel_text: str
    duration: ParsedDuration
    fees: ParsedFees
    description: str = ""


# What the time cell says when it holds no number (CSDLQG rows whose
# time_value is empty start their fee_and_note_raw with it).
_TIME_CELL_TEXTS = (
    ("Không phải trả kết quả cho người nộp thuế", DurationProblem.NO_DURATION),
    (NO_INFORMATION, DurationProblem.NO_DURATION),
    ("Không quy định", DurationProblem.NOT_REGULATED),
    ("Không", DurationProblem.NO_DURATION),
)


def parse_csdlqg_row(row: dict[str, object]) -> ChannelRow:
    """
    Read one ``submission_channels`` row of the CSDLQG file.

    When ``time_value`` is empty the scraper left the time cell's text at the
    start of ``fee_and_note_raw``: it is taken off before the fee cell. When
    that text is a number glued to the fee amount ("1100 VNĐ" for "1" and
    "100 VNĐ"), neither can be split reliably: no duration and no fee.
    """
    channel_text = _nfc(row.get("channel")).strip()
    time_value = _nfc(row.get("time_value")).strip()
    time_unit = _nfc(row.get("time_unit")).strip()
    raw = _nfc(row.get("fee_and_note_raw"))
    if time_value:
        duration = parse_channel_duration(time_value, time_unit)
        fees, description = parse_fee_cell(raw)
    else:
        duration, rest = _take_time_cell(raw)
        if duration.problem == DurationProblem.GLUED_TO_FEE:
            duration, fees, description = _unglue(rest)
        else:
            fees, description = parse_fee_cell(rest)
    return ChannelRow(
        channel=parse_channel(channel_text),
        channel_text=channel_text,
        duration=duration,
        fees=fees,
        description=description.strip(),
    )


def _unglue(text: str) -> tuple[ParsedDuration, ParsedFees, str]:
    """
    Split "120 VNĐ(20.000 vnđ /tờ khai)", a bare time "1" glued to the fee
    "20 VNĐ", when the note confirms the fee (20 or 20.000 đồng). Otherwise
    give up on both: "120" could as well be "12" and "0".
    """
    match = _FEE_CELL_AMOUNT.match(text)
    digits = match["number"] if match else ""
    note, _ = _take_note(text[match.end() :]) if match else ("", "")
    confirmed = {m.amount for m in find_amounts(note) if m.currency == "VND"}
    for cut in (1, 2):
        amount = parse_amount(digits[cut:]) if len(digits) > cut else None
        if amount and (amount in confirmed or amount * 1000 in confirmed):
            fees, description = parse_fee_cell(text.lstrip()[cut:])
            split = (
                f"Thời hạn «{digits[:cut]}» dính liền với mức thu «{digits[cut:]}»: "
                "đã tách theo ghi chú."
            )
            return (
                parse_duration(digits[:cut]),
                replace(fees, notes=(split, *fees.notes)),
                description,
            )
    _, description = parse_fee_cell(text)
    glued = text[: match.end()] if match else text[:40]
    return (
        ParsedDuration(source=glued, problem=DurationProblem.GLUED_TO_FEE),
        ParsedFees(
            known=False,
            notes=(
                f"Thời hạn và mức thu dính liền «{glued}»: không tách được, "
                "không ghi nhận mức thu.",
            ),
        ),
        description,
    )


def _take_time_cell(raw: str) -> tuple[ParsedDuration, str]:
    stripped = raw.lstrip()
    if _FEE_CELL_AMOUNT.match(stripped):
        return (
            ParsedDuration(source=stripped[:40], problem=DurationProblem.GLUED_TO_FEE),
            stripped,
        )
    for phrase, problem in _TIME_CELL_TEXTS:
        if stripped.startswith(phrase):
            return ParsedDuration(source=phrase, problem=problem), stripped[
                len(phrase) :
            ]
    return ParsedDuration(source="", problem=DurationProblem.NO_DURATION), stripped


def parse_bqp_row(row: dict[str, object]) -> ChannelRow:
    """Read one ``hinh_thuc_nop`` row of the Ministry of Defence export."""
    channel_text = _nfc(row.get("hinh_thuc")).strip()
    return ChannelRow(
        channel=parse_channel(channel_text),
        channel_text=channel_text,
        duration=parse_duration(_nfc(row.get("thoi_han_giai_quyet"))),
        fees=parse_fee_text(_nfc(row.get("phi_le_phi"))),
        description=_nfc(row.get("mo_ta")).strip(),
    )


# -- the legal duration of a procedure ---------------------------------------


_PROBLEM_PRIORITY = [
    DurationProblem.PLACEHOLDER_ONE,
    DurationProblem.GLUED_TO_FEE,
    DurationProblem.ZERO_WITHOUT_UNIT,
    DurationProblem.UNPARSED,
    DurationProblem.NOT_REGULATED,
    DurationProblem.NO_DURATION,
    DurationProblem.NO_CHANNELS,
]


@dataclass(frozen=True, slots=True)
class DurationChoice:
    """The duration chosen for a procedure, with what the other rows said."""

    duration: ParsedDuration | None
    channel: Channel | None
    text: str  # every row's duration, for duration_text
    problem: DurationProblem | None
    notes: tuple[str, ...] = ()


def choose_duration(rows: Sequence[ChannelRow], context: str | None) -> DurationChoice:
    """
    Choose the legal duration of a procedure from its channel rows.

    Decision: the counter (Trực tiếp) duration is the legal one, then online,
    then post; a duration with its unit written beats a bare number whose
    unit is confirmed by the text, which beats one whose unit is assumed.
    When a channel has several rows (cases such as "trường hợp cần xác minh",
    or phases), the longest is taken. Durations of other channels that
    differ are kept in the notes; every row is listed in ``text``.
    """
    if not rows:
        return DurationChoice(None, None, "", DurationProblem.NO_CHANNELS)
    resolved = [
        (
            row,
            resolve_bare_number(
                row.duration, " ".join([row.description, context or ""])
            ),
        )
        for row in rows
    ]
    text = "; ".join(
        f"{row.channel_text or '?'}: {row.duration.source or NO_INFORMATION}"
        for row in rows
    )
    usable = [(row, d) for row, d in resolved if d.usable]
    if not usable:
        problems = [d.problem for _, d in resolved if d.problem is not None]
        # The most telling reason first: a placeholder or a glued cell says
        # more than "no information" about what an administrator must check.
        problem = (
            min(problems, key=_PROBLEM_PRIORITY.index)
            if problems
            else DurationProblem.UNPARSED
        )
        return DurationChoice(None, None, text, problem)

    def channel_rank(row: ChannelRow) -> int:
        return (
            CHANNEL_ORDER.index(row.channel)
            if row.channel in CHANNEL_ORDER
            else len(CHANNEL_ORDER)
        )

    best_confidence = min(_CONFIDENCE_RANK[d.confidence] for _, d in usable)
    candidates = [
        (r, d) for r, d in usable if _CONFIDENCE_RANK[d.confidence] == best_confidence
    ]
    best_channel = min(channel_rank(r) for r, _ in candidates)
    same_channel = [(r, d) for r, d in candidates if channel_rank(r) == best_channel]
    chosen_row, chosen = max(same_channel, key=lambda rd: duration_upper_minutes(rd[1]))
    notes: list[str] = list(chosen.notes)
    if len({d.label for _, d in same_channel}) > 1:
        notes.append(
            f"Kênh «{chosen_row.channel_text}» có nhiều thời hạn "
            f"({', '.join(sorted({d.label for _, d in same_channel}))}): lấy thời hạn dài nhất."
        )
    others = sorted(
        {
            f"{row.channel_text}: {d.label}"
            for row, d in usable
            if channel_rank(row) != best_channel and d.label != chosen.label
        }
    )
    if others:
        notes.append(
            f"Thời hạn theo kênh «{chosen_row.channel_text}» ({chosen.label}); "
            f"kênh khác: {'; '.join(others)}."
        )
    return DurationChoice(chosen, chosen_row.channel, text, None, tuple(notes))


# -- fee items of a procedure ------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeSpec:
    """A fee item to create: channel "" applies to every channel."""

    channel: str
    kind: FeeKind
    name: str
    amount: Decimal
    note: str = ""


_KIND_NAMES = {FeeKind.FEE: "Phí", FeeKind.CHARGE: "Lệ phí", None: "Phí, lệ phí"}


def plan_fee_items(rows: Sequence[ChannelRow]) -> tuple[list[FeeSpec], list[str]]:
    """
    Turn the fees of a procedure's rows into fee items, and notes.

    When every channel has the same amounts, one item per amount applies to
    every channel (channel ""); otherwise each channel gets its own items. A
    row whose channel is unknown applies to every channel. Two amounts of one
    channel are alternatives (the cases of its rows); their names carry their
    note so that they can be told apart.
    """
    per_channel: dict[str, list[FeeAmount]] = {}
    notes: list[str] = []
    for row in rows:
        bucket = per_channel.setdefault(row.channel.value if row.channel else "", [])
        for amount in row.fees.amounts:
            if all((a.amount, a.kind) != (amount.amount, amount.kind) for a in bucket):
                bucket.append(amount)
        notes.extend(note for note in row.fees.notes if note not in notes)
    general = per_channel.pop("", [])
    signatures = {
        tuple(sorted((a.amount, a.kind or "") for a in v)) for v in per_channel.values()
    }
    if len(signatures) == 1 and per_channel:
        shared = next(iter(per_channel.values()))
        general += [a for a in shared if all(a.amount != g.amount for g in general)]
        per_channel = {}
    specs: list[FeeSpec] = []
    for channel, amounts in [("", general), *per_channel.items()]:
        for amount in amounts:
            name = _KIND_NAMES[amount.kind]
            if len(amounts) > 1 and amount.note:
                name = f"{name} – {amount.note}"
            specs.append(
                FeeSpec(
                    channel=channel,
                    kind=amount.kind or FeeKind.CHARGE,
                    name=name[:255],
                    amount=amount.amount,
                    note=amount.note,
                )
            )
    return specs, notes


# -- documents (thành phần hồ sơ) ------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedComponent:
    name: str
    case: str = ""
    count: int = 1
    copy_type: CopyType = CopyType.ORIGINAL
    note: str = ""


@dataclass(frozen=True, slots=True)
class ParsedComponents:
    components: tuple[ParsedComponent, ...] = ()
    structured: bool = False  # True when the text was a table we could read
    notes: tuple[str, ...] = field(default=())


_COMPONENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The count cell is always "<n> bản chính" optionally followed by ",<m> bản
# sao", glued to the document name before it and to the next row after it; a
# mention inside a name ("01 bản chính hoặc bản sao") is followed by a space.
_COUNT_CELL = re.compile(
    r"(?P<originals>\d) bản chính(?:,(?P<copies>\d{1,2}) bản sao)?(?=\S|$)"
)
_ATTACHMENT = re.compile(
    r"(?:(?<=[.;:)])\s*|(?<=[a-zà-ỹđ])(?=[A-Z0-9]))(?P<file>[^.;:()]{1,80}?\.(?i:docx?|xlsx?|pdf|rar|zip))$"
)


def _clean_name(text: str) -> tuple[str, str]:
    """Return a document name without list marks, and its attached form if any."""
    text = text.strip()
    attachment = ""
    match = _ATTACHMENT.search(text)
    if match:
        attachment = match["file"].strip()
        text = text[: match.start()].rstrip()
    text = re.sub(r"^(?:[-+•*]\s*|[a-zđ]\)\s*|\d{1,2}[.)]\s+)", "", text).strip()
    return text, attachment


def parse_components_table(raw: str | None) -> ParsedComponents:
    """
    Read the flattened document table of a CSDLQG record.

    The text is groups of "<case>Tên giấy tờMẫu đơn, tờ khaiSố lượng" followed
    by rows "<name>[<form file>]<n> bản chính[,<m> bản sao]". A truncated text
    or one without the table header is not read (a partial list would let a
    counter accept an incomplete dossier): the raw text stays in
    components_text and no component is made.
    """
    raw = (raw or "").strip()
    if not raw or (len(raw) < 40 and fast_fold(raw).strip(" .-") in _NOTHING):
        return ParsedComponents(notes=())
    if raw.endswith(TRUNCATION_MARK):
        return ParsedComponents(
            notes=("Thành phần hồ sơ bị cắt ngắn ở nguồn: chỉ giữ nguyên văn.",)
        )
    if _COMPONENT_HEADER not in raw:
        return ParsedComponents(
            notes=("Thành phần hồ sơ không ở dạng bảng: chỉ giữ nguyên văn.",)
        )
    parts = raw.split(_COMPONENT_HEADER)
    case = _case_label(parts[0])
    components: list[ParsedComponent] = []
    notes: list[str] = []
    for index, part in enumerate(parts[1:]):
        last = index == len(parts) - 2
        position = 0
        rows = 0
        for match in _COUNT_CELL.finditer(part):
            name, attachment = _clean_name(part[position : match.start()])
            position = match.end()
            if not name:
                notes.append("Một dòng thành phần hồ sơ không có tên: bỏ qua.")
                continue
            originals = int(match["originals"])
            copies = int(match["copies"] or 0)
            note_parts = []
            if originals and copies:
                note_parts.append(f"kèm {copies} bản sao")
            if attachment:
                note_parts.append(f"mẫu: {attachment}")
            components.append(
                ParsedComponent(
                    name=name,
                    case=case,
                    count=originals or copies or 1,
                    copy_type=CopyType.ORIGINAL
                    if originals or not copies
                    else CopyType.COPY,
                    note="; ".join(note_parts),
                )
            )
            rows += 1
        tail = part[position:]
        if rows == 0:
            return ParsedComponents(
                notes=("Bảng thành phần hồ sơ không đọc được: chỉ giữ nguyên văn.",)
            )
        if last:
            if tail.strip(" -\n\t"):
                notes.append(
                    f"Phần chữ sau bảng thành phần hồ sơ: «{tail.strip()[:120]}»."
                )
        else:
            case = _case_label(tail)
    return ParsedComponents(
        components=tuple(components), structured=True, notes=tuple(notes)
    )


def _case_label(text: str) -> str:
    label = normalize_name(text).strip(" -:\t")
    return label[:500]


_COPY_COUNTS = re.compile(
    r"Bản chính:\s*(?P<originals>\d+).*?Bản sao:\s*(?P<copies>\d+)", re.S
)


def parse_bqp_component(
    row: dict[str, object], order: int = 0
) -> ParsedComponent | None:
    """
    Read one ``thanh_phan_ho_so`` row of the Ministry of Defence export:
    ``ten_giay_to`` is the name, ``so_luong`` is in fact the attached form's
    file name, ``ghi_chu`` says "Bản chính: 1\\nBản sao: 0".
    """
    name = normalize_name(str(row.get("ten_giay_to") or ""))
    name = re.sub(r"^(?:[-+•*]\s*|[a-zđ]\)\s*)", "", name).strip()
    if not name:
        return None
    counts = _COPY_COUNTS.search(str(row.get("ghi_chu") or ""))
    originals = int(counts["originals"]) if counts else 0
    copies = int(counts["copies"]) if counts else 0
    notes = []
    if originals and copies:
        notes.append(f"kèm {copies} bản sao")
    attachment = normalize_name(str(row.get("so_luong") or ""))
    if attachment:
        notes.append(f"mẫu: {attachment}")
    return ParsedComponent(
        name=name,
        count=originals or copies or 1,
        copy_type=CopyType.ORIGINAL if originals or not copies else CopyType.COPY,
        note="; ".join(notes),
    )


# -- results ---------------------------------------------------------------

_RESULT_CODE = re.compile(
    r"Mã:\s*(?P<code>(?:KQ|TP)[.\-][A-Z]\d{2}\.\d{5,7}|\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-KQ\d+|[A-Z]\d{2}-KQ\d+)"
)
_RESULT_TAIL = re.compile(r"Từ khóa.*$", re.S)


def parse_results(text: str | None) -> tuple[list[tuple[str, str]], str]:
    """
    Read the result cell "…Mã: KQ.G01.000064…Từ khóa…Mô tả…": return the
    (code, name) pairs and the result text without the keyword and
    description tails.
    """
    text = _RESULT_TAIL.sub("", text or "").strip()
    pairs: list[tuple[str, str]] = []
    position = 0
    for match in _RESULT_CODE.finditer(text):
        name = normalize_name(text[position : match.start()]).strip(" +-;:")
        position = match.end()
        if name:
            pairs.append((match["code"], name[:500]))
    if pairs:
        tail = normalize_name(text[position:]).strip(" +-;:")
        lines = [name for _, name in pairs] + ([tail] if tail else [])
        return pairs, "\n".join(lines)
    return [], text


# -- odds and ends -----------------------------------------------------------


def clean_text(value: object) -> str:
    """Return a text field without "Không có thông tin" and surrounding blanks."""
    text = str(value or "").strip()
    if len(text) > 40:
        return text
    return "" if fast_fold(text).strip(" .") in _NOTHING else text


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)
