"""
The 12-digit personal identification number (số định danh cá nhân).

Layout (Decree 137/2015/NĐ-CP Art.13, Circular 59/2021/TT-BCA Art.7, formerly
Circular 07/2016/TT-BCA Art.7):

    PPP G YY NNNNNN
    │   │ │  └ 6 random digits
    │   │ └ last two digits of the year of birth
    │   └ gender and century of birth: 20th century (1900–1999) male 0,
    │     female 1; 21st 2/3; 22nd 4/5; 23rd 6/7; 24th 8/9
    └ code of the province where the birth was registered (3 digits, the
      province's code zero-padded: 001 Hà Nội, 079 Hồ Chí Minh City…)

Only the format is checked here: there is no check digit, so whether a number
exists is for the population database to say. Standard library only.
"""

import re
from dataclasses import dataclass

PERSONAL_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True, slots=True)
class IdNumberParts:
    province_code: str
    gender: str  # "male" | "female"
    birth_year: int
    serial: str


def normalize(value: object) -> str:
    """Return ``value`` without spaces (numbers are often typed in groups)."""
    return re.sub(r"\s+", "", str(value or ""))


def is_well_formed(value: str) -> bool:
    return bool(PERSONAL_ID.match(value))


def gender_century_digit(gender: str, birth_year: int) -> int:
    """Return the 4th digit for ``gender`` ("male"/"female") born in ``birth_year``."""
    century = birth_year // 100 - 19  # 1900s → 0, 2000s → 1, …
    if not 0 <= century <= 4:
        raise ValueError(f"No code for a birth in {birth_year}.")
    if gender not in ("male", "female"):
        raise ValueError(f"Unknown gender {gender!r}.")
    return century * 2 + (gender == "female")


def make(province_code: str, gender: str, birth_year: int, serial: int) -> str:
    """Return the number of a person; ``province_code`` has 1–3 digits."""
    if not 0 <= serial < 1_000_000:
        raise ValueError("The serial has six digits.")
    return (
        f"{int(province_code):03d}{gender_century_digit(gender, birth_year)}"
        f"{birth_year % 100:02d}{serial:06d}"
    )


def parse(value: str) -> IdNumberParts:
    """Return the parts of a well-formed number; ValueError otherwise."""
    if not is_well_formed(value):
        raise ValueError("A personal identification number has 12 digits.")
    digit = int(value[3])
    return IdNumberParts(
        province_code=value[:3],
        gender="female" if digit % 2 else "male",
        birth_year=(19 + digit // 2) * 100 + int(value[4:6]),
        serial=value[6:],
    )
