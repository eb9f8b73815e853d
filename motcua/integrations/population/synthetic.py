"""
Synthetic residents of the demo province, generated deterministically from a
seed and the name material in ``data/vn-names`` (see its README).

Names are in Vietnamese order (surname, middle names, given name) and match
the person's gender; people live in households (head, spouse, children, a
parent of the head) sharing an address in one commune of the province;
personal numbers follow ``idnumbers``. Standard library only, so that the
simulator runs without Django.
"""

import csv
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import idnumbers

# Ages are counted at the end of this year, so that nobody is born later.
REFERENCE_YEAR = 2025
DEFAULT_SEED = 20260301
DEFAULT_PROVINCE_CODE = "99"
DEFAULT_PROVINCE_NAME = "Tỉnh Lâm Hải Giang"
# Communes of the demo province; the first two are those of motcua.testing.province.
DEFAULT_COMMUNES: tuple[tuple[str, str], ...] = (
    ("99001", "Xã An Hòa"),
    ("99002", "Phường Bình Minh"),
    ("99003", "Xã Tân Lập"),
    ("99004", "Phường Hòa Bình"),
    ("99005", "Xã Phú Xuân"),
)
# Where people born elsewhere registered their birth (province codes, 3 digits).
OTHER_BIRTH_PROVINCES = ("001", "031", "038", "040", "048", "079", "092")
# A resident known in advance, the applicant of motcua.testing.province.
KNOWN_RESIDENT = {
    "id_number": "001099012345",
    "surname": "Nguyễn",
    "middle": ("Văn",),
    "given": "An",
    "gender": "male",
    "birth_date": date(1999, 5, 12),
    "house_number": "12",
    "street": "Lê Lợi",
    "commune": 0,
}


@dataclass(frozen=True, slots=True)
class Weighted:
    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, float]]) -> "Weighted":
        return cls(
            tuple(v for v, _ in pairs),
            tuple(itertools.accumulate(w for _, w in pairs)),
        )

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@dataclass(frozen=True, slots=True)
class NameData:
    surnames: Weighted
    middles: dict[str, Weighted]
    givens: dict[str, Weighted]
    middle_counts: dict[str, Weighted]
    streets: tuple[str, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_name_data(directory: Path) -> NameData:
    """Read the name material from ``directory`` (a copy of data/vn-names)."""
    surnames: dict[str, int] = {}
    for row in _rows(directory / "surname_frequency.csv"):
        surnames[row["surname"]] = surnames.get(row["surname"], 0) + int(row["count"])
    by_gender: dict[str, dict[str, list[tuple[str, float]]]] = {
        "middles": {},
        "givens": {},
        "counts": {},
    }
    for row in _rows(directory / "middle_name_token_frequency_by_gender.csv"):
        by_gender["middles"].setdefault(row["gender"], []).append(
            (row["middle_token"], int(row["count"]))
        )
    for row in _rows(directory / "given_name_frequency_by_gender.csv"):
        by_gender["givens"].setdefault(row["gender"], []).append(
            (row["given_name"], int(row["count"]))
        )
    for row in _rows(directory / "middle_name_count_distribution.csv"):
        if row["source"] == "school_list":
            by_gender["counts"].setdefault(row["gender"], []).append(
                (row["n_middle_tokens"], int(row["count"]))
            )
    # The source lists carry a little label noise (a few "male" pupils with
    # the middle name Thị): a token that is twenty times more frequent for
    # the other gender marks that gender and is left out.
    for kind in ("middles", "givens"):
        counts = {gender: dict(pairs) for gender, pairs in by_gender[kind].items()}
        for gender, pairs in by_gender[kind].items():
            others = [c for g, c in counts.items() if g != gender]
            by_gender[kind][gender] = [
                (token, count)
                for token, count in pairs
                if not any(other.get(token, 0) >= 20 * count for other in others)
            ]
    streets = tuple(
        line.strip()
        for line in (directory / "street_names_faker_vi_VN.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    )
    return NameData(
        surnames=Weighted.of(sorted(surnames.items())),
        middles={g: Weighted.of(p) for g, p in sorted(by_gender["middles"].items())},
        givens={g: Weighted.of(p) for g, p in sorted(by_gender["givens"].items())},
        middle_counts={
            g: Weighted.of(p) for g, p in sorted(by_gender["counts"].items())
        },
        streets=streets,
    )


@dataclass(frozen=True, slots=True)
class Resident:
    id_number: str
    surname: str
    middle: tuple[str, ...]
    given: str
    gender: str  # "male" | "female"
    birth_date: date
    house_number: str
    street: str
    commune_code: str
    commune_name: str
    province_name: str
    household_id: str
    head_id_number: str
    head_name: str
    relation: str  # to the head of the household: Chủ hộ, Vợ, Chồng, Con, Cha, Mẹ

    @property
    def full_name(self) -> str:
        return " ".join([self.surname, *self.middle, self.given])

    @property
    def address(self) -> str:
        # Post-2025 addresses: house, street, commune, province (no district).
        return (
            f"Số {self.house_number}, đường {self.street}, "
            f"{self.commune_name}, {self.province_name}"
        )

    def as_json(self) -> dict[str, object]:
        """The record as the population API returns it."""
        return {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "gender": self.gender,
            "birth_date": self.birth_date.isoformat(),
            "permanent_address": {
                "text": self.address,
                "house_number": self.house_number,
                "street": self.street,
                "commune_code": self.commune_code,
                "commune": self.commune_name,
                "province": self.province_name,
            },
            "household": {
                "id": self.household_id,
                "head_id_number": self.head_id_number,
                "head_name": self.head_name,
                "relation_to_head": self.relation,
            },
        }


@dataclass(frozen=True, slots=True)
class _Person:
    relation: str
    gender: str
    age: int
    surname: str


def _household_members(rng: random.Random, names: NameData) -> list[_Person]:
    head_gender = "male" if rng.random() < 0.7 else "female"
    head_age = rng.randint(25, 80)
    head = _Person("Chủ hộ", head_gender, head_age, names.surnames.pick(rng))
    people = [head]
    father_surname = head.surname if head_gender == "male" else ""
    if rng.random() < 0.75:
        gender = "female" if head_gender == "male" else "male"
        shift = rng.randint(-7, 2) if gender == "female" else rng.randint(-2, 7)
        spouse = _Person(
            "Vợ" if gender == "female" else "Chồng",
            gender,
            max(20, head_age + shift),
            names.surnames.pick(rng),
        )
        people.append(spouse)
        father_surname = father_surname or spouse.surname
    father_surname = father_surname or head.surname
    youngest_parent = min(p.age for p in people)
    children = rng.choices((0, 1, 2, 3), weights=(15, 30, 40, 15))[0]
    for _ in range(children if youngest_parent >= 21 else 0):
        # Born when the younger parent was 20 to 42.
        age = rng.randint(max(0, youngest_parent - 42), youngest_parent - 20)
        gender = "male" if rng.random() < 0.51 else "female"
        people.append(_Person("Con", gender, age, father_surname))
    if head_age <= 60 and rng.random() < 0.15:
        age = min(95, head_age + rng.randint(20, 35))
        if rng.random() < 0.6:
            people.append(_Person("Mẹ", "female", age, names.surnames.pick(rng)))
        else:
            # The father of the head gives the head his surname.
            surname = (
                head.surname if head_gender == "male" else names.surnames.pick(rng)
            )
            people.append(_Person("Cha", "male", age, surname))
    return people


def _name(
    rng: random.Random, names: NameData, gender: str
) -> tuple[tuple[str, ...], str]:
    given = names.givens[gender].pick(rng)
    wanted = int(names.middle_counts[gender].pick(rng))
    middle: list[str] = []
    for _ in range(wanted * 5):
        if len(middle) == wanted:
            break
        token = names.middles[gender].pick(rng)
        if token not in middle and token != given:
            middle.append(token)
    return tuple(middle), given


def generate_residents(
    names: NameData,
    *,
    count: int = 3000,
    seed: int = DEFAULT_SEED,
    communes: Sequence[tuple[str, str]] = DEFAULT_COMMUNES,
    province_code: str = DEFAULT_PROVINCE_CODE,
    province_name: str = DEFAULT_PROVINCE_NAME,
    include_known: bool = True,
) -> list[Resident]:
    """
    Return ``count`` residents (households kept whole except the last), the
    same list for the same arguments.
    """
    if not communes:
        raise ValueError("At least one commune is needed.")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    residents: list[Resident] = []
    used: set[str] = set()
    household = 0
    home_code = f"{int(province_code):03d}"

    def new_id(gender: str, birth_year: int) -> str:
        birth_province = (
            home_code if rng.random() < 0.85 else rng.choice(OTHER_BIRTH_PROVINCES)
        )
        while True:
            number = idnumbers.make(
                birth_province, gender, birth_year, rng.randrange(1_000_000)
            )
            if number not in used:
                used.add(number)
                return number

    if include_known and count > 0:
        known = KNOWN_RESIDENT
        household += 1
        code, commune = communes[int(known["commune"]) % len(communes)]
        used.add(str(known["id_number"]))
        full = " ".join([known["surname"], *known["middle"], known["given"]])
        residents.append(
            Resident(
                id_number=str(known["id_number"]),
                surname=str(known["surname"]),
                middle=tuple(known["middle"]),
                given=str(known["given"]),
                gender=str(known["gender"]),
                birth_date=known["birth_date"],
                house_number=str(known["house_number"]),
                street=str(known["street"]),
                commune_code=code,
                commune_name=commune,
                province_name=province_name,
                household_id=f"HO{int(province_code):02d}{household:08d}",
                head_id_number=str(known["id_number"]),
                head_name=full,
                relation="Chủ hộ",
            )
        )
    while len(residents) < count:
        household += 1
        household_id = f"HO{int(province_code):02d}{household:08d}"
        code, commune = communes[rng.randrange(len(communes))]
        street = rng.choice(names.streets)
        house_number = str(rng.randint(1, 300))
        members = _household_members(rng, names)
        head_id = head_name = ""
        for person in members:
            if len(residents) >= count:
                break
            birth_year = REFERENCE_YEAR - person.age
            birth_date = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
            middle, given = _name(rng, names, person.gender)
            number = new_id(person.gender, birth_year)
            full = " ".join([person.surname, *middle, given])
            if person.relation == "Chủ hộ":
                head_id, head_name = number, full
            residents.append(
                Resident(
                    id_number=number,
                    surname=person.surname,
                    middle=middle,
                    given=given,
                    gender=person.gender,
                    birth_date=birth_date,
                    house_number=house_number,
                    street=street,
                    commune_code=code,
                    commune_name=commune,
                    province_name=province_name,
                    household_id=household_id,
                    head_id_number=head_id,
                    head_name=head_name,
                    relation=person.relation,
                )
            )
    return residents
