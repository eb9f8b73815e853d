"""
Amounts in Vietnamese words, as printed on receipts ("Số tiền bằng chữ").

Conventions of financial documents: "mười" / "mươi", "mốt" after a tens digit
from two up, "lăm" for a final five after a tens digit, "linh" for a zero tens
digit ("một trăm linh năm"), "không trăm" inside a number ("một nghìn không
trăm mười"), scales nghìn, triệu, tỷ, then "nghìn tỷ", "triệu tỷ"…
"""

from decimal import Decimal

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")


def _below_thousand(n: int, *, leading: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(n: int, *, leading: bool) -> list[str]:
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _below_thousand(group, leading=leading and not words)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return words


def _number_words(n: int, *, leading: bool = True) -> list[str]:
    if n < 1_000_000_000:
        return _below_billion(n, leading=leading)
    high, low = divmod(n, 1_000_000_000)
    words = [*_number_words(high, leading=leading), "tỷ"]
    if low:
        words += _below_billion(low, leading=False)
    return words


def number_in_words(n: int) -> str:
    """Return the non-negative integer ``n`` in Vietnamese words, lower case."""
    if n < 0:
        raise ValueError("Only non-negative amounts are written in words.")
    if n == 0:
        return _DIGITS[0]
    return " ".join(_number_words(n))


def amount_in_words(amount: int | Decimal, currency: str = "đồng") -> str:
    """Return ``amount`` as printed on a receipt: "Mười nghìn đồng"."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError("Amounts in đồng have no fractional part.")
    text = f"{number_in_words(int(value))} {currency}"
    return text[0].upper() + text[1:]


def format_vnd(amount: int | Decimal) -> str:
    """Return ``amount`` with dots between thousands: 1.250.000."""
    return f"{int(amount):,}".replace(",", ".")
