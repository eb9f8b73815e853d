"""Vietnamese text helpers: diacritic-free folding for search and matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters that are not a base letter plus combining marks in Unicode.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """
    Return ``text`` lower-cased, without diacritics and with single spaces.

    "Đăng  ký khai sinh" and "dang ky KHAI sinh" fold to the same string, and so
    do the old and new tone-mark placements (Hòa/Hoà, Thủy/Thuỷ).
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def normalize_name(text: str | None) -> str:
    """Return ``text`` in NFC with single spaces (for display and storage)."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
