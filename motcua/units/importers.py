"""
Load the reference data shipped in data/ into the database.

``units_import`` loads the administrative units (two-level structure of
01/7/2025 revised on 25/7/2026, the old three-level structure, and the
old → new successions); ``holidays_import`` loads an official schedule of days
off. Both read and check every file before writing anything, write in one
transaction, and are idempotent: a second run with the same files changes no
row. Provenance and caveats of the files: data/*/README.md.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.text import fold, normalize_name

from . import calendars
from .constants import CalendarDayKind, MergeType, Structure, UnitLevel, YearStatus
from .models import (
    AdministrativeUnit,
    AdministrativeUnitRename,
    CalendarDay,
    CalendarYear,
    UnitSuccession,
)


class ImportDataError(ValueError):
    """A data file is missing, malformed or inconsistent; nothing was written."""


def _read_csv(path: Path, columns: Iterable[str]) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file that has at least ``columns``."""
    if not path.is_file():
        raise ImportDataError(f"missing file: {path}")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportDataError(
                    f"{path.name}: missing column(s) {', '.join(missing)}"
                )
            rows = list(reader)
    except UnicodeDecodeError:
        raise ImportDataError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as error:
        raise ImportDataError(f"{path.name}: {error}") from None
    for number, row in enumerate(rows, start=2):
        if None in row or any(row[c] is None for c in columns):
            raise ImportDataError(f"{path.name} line {number}: wrong number of fields")
    return rows


# --------------------------------------------------------------------------
# Administrative units
# --------------------------------------------------------------------------

TWO_LEVEL_FROM = date(2025, 7, 1)  # Resolutions 1654–1687/NQ-UBTVQH15
REVISION_2026 = date(2026, 7, 25)  # date of the revised snapshot
THREE_LEVEL_TO = date(2025, 7, 1)
DISSOLVED_BEFORE = date(2025, 3, 1)  # the 12 codes absent from the 2025-03-01 list

UNIT_FILES = {
    "provinces_2025": "provinces_34_2025-07-01.csv",
    "communes_2025": "communes_two_level_2025-07-01.csv",
    "provinces_2026": "provinces_34_2026-07-25.csv",
    "communes_2026": "communes_two_level_2026-07-25.csv",
    "provinces_old": "provinces_63_2025-03-01.csv",
    "districts_old": "districts_2025-03-01.csv",
    "communes_old": "communes_three_level_2025-03-01.csv",
    "gso_communes": "gso_1027_CTK-CSCL_communes_2025-06-25.csv",
    "gso_provinces": "gso_915_CTK-CSCL_provinces_2025.csv",
    "old_to_new": "mapping_old_commune_to_new_2025-07-01.csv",
    "new_from_old": "mapping_new_commune_from_old_2025-07-01.csv",
    "unit_types": "administrative_unit_types.csv",
}
_NAMES = ["name", "full_name", "name_en", "unit_type"]
_COLUMNS = {
    "provinces_2025": ["province_code", *_NAMES],
    "communes_2025": ["ward_code", *_NAMES, "province_code"],
    "provinces_2026": ["province_code", *_NAMES],
    "communes_2026": ["ward_code", *_NAMES, "province_code"],
    "provinces_old": ["province_code", *_NAMES],
    "districts_old": ["district_code", *_NAMES, "province_code"],
    "communes_old": ["ward_code", *_NAMES, "district_code", "province_code"],
    "gso_communes": ["ward_code", "full_name", "province_full_name"],
    "gso_provinces": ["Mã số"],
    "old_to_new": [
        "old_province_code",
        "old_ward_code",
        "old_ward_full_name",
        "new_ward_code",
    ],
    "new_from_old": ["new_ward_code", "old_ward_code", "merge_type"],
    "unit_types": ["structure", "full_name", "short_name"],
}
_CODE = {2: re.compile(r"\d{2}"), 3: re.compile(r"\d{3}"), 5: re.compile(r"\d{5}")}
# Unit types of the 12 dissolved communes, read from their full names.
_OLD_COMMUNE_TYPES = ("Thị trấn", "Phường", "Xã")

Key = tuple[str, str]  # (structure, code)
_UNIT_FIELDS = [
    "level",
    "name",
    "full_name",
    "name_en",
    "unit_type",
    "search_name",
    "alternative_codes",
    "valid_from",
    "valid_to",
]


@dataclass
class UnitImportResult:
    """What ``units_import`` found in the files and did to the database."""

    created: int = 0
    updated: int = 0
    renames_created: int = 0
    renames_updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    errata: dict[str, str] = field(default_factory=dict)  # official → other code
    dissolved: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.created,
                self.updated,
                self.renames_created,
                self.renames_updated,
                self.successions_created,
                self.successions_updated,
            )
        )


def _index(rows: list[dict[str, str]], column: str, width: int, name: str) -> dict:
    """Return ``rows`` by code, refusing malformed and repeated codes."""
    by_code: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows, start=2):
        code = row[column]
        if not _CODE[width].fullmatch(code):
            raise ImportDataError(
                f"{name} line {number}: {column} {code!r} is not {width} digits"
            )
        if code in by_code:
            raise ImportDataError(f"{name} line {number}: {column} {code} repeated")
        by_code[code] = row
    return by_code


def _unit(
    row: dict[str, str],
    *,
    level: str,
    parent: Key | None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    alternative_codes: str = "",
) -> dict[str, Any]:
    full_name = normalize_name(row["full_name"])
    return {
        "level": level,
        "name": normalize_name(row["name"]),
        "full_name": full_name,
        "name_en": normalize_name(row["name_en"]),
        "unit_type": normalize_name(row["unit_type"]),
        "search_name": fold(full_name),
        "alternative_codes": alternative_codes,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "parent": parent,
    }


class _UnitData:
    """Every file read and cross-checked; the rows to have in the database."""

    def __init__(self, data_dir: Path) -> None:
        raw = {
            key: _read_csv(data_dir / name, _COLUMNS[key])
            for key, name in UNIT_FILES.items()
        }
        self.units: dict[Key, dict[str, Any]] = {}
        self.renames: dict[Key, tuple[str, str, str, str]] = {}
        self.successions: dict[tuple[Key, Key], str] = {}
        self.errata: dict[str, str] = {}
        self.dissolved: list[str] = []
        self.check_types(raw)
        self.two_level(raw)
        self.three_level(raw)
        self.mapping(raw)

    def check_types(self, raw: dict[str, list[dict[str, str]]]) -> None:
        known: dict[str, set[str]] = {}
        for row in raw["unit_types"]:
            names = known.setdefault(row["structure"], set())
            names |= {row["full_name"], row["short_name"]}
        new, old = known.get("2025-07-01+", set()), known.get("pre-2025-07-01", set())
        for key, types in [
            ("provinces_2025", new),
            ("communes_2025", new),
            ("provinces_2026", new),
            ("communes_2026", new),
            ("provinces_old", old),
            ("districts_old", old),
            ("communes_old", old),
        ]:
            for number, row in enumerate(raw[key], start=2):
                if row["unit_type"] not in types:
                    raise ImportDataError(
                        f"{UNIT_FILES[key]} line {number}: unknown unit type "
                        f"{row['unit_type']!r}"
                    )

    def two_level(self, raw: dict[str, list[dict[str, str]]]) -> None:
        files = UNIT_FILES
        p25 = _index(raw["provinces_2025"], "province_code", 2, files["provinces_2025"])
        p26 = _index(raw["provinces_2026"], "province_code", 2, files["provinces_2026"])
        c25 = _index(raw["communes_2025"], "ward_code", 5, files["communes_2025"])
        c26 = _index(raw["communes_2026"], "ward_code", 5, files["communes_2026"])
        gso = _index(raw["gso_communes"], "ward_code", 5, files["gso_communes"])
        official_provinces = {row["Mã số"].zfill(2) for row in raw["gso_provinces"]}
        if set(p25) != set(p26) or set(c25) != set(c26):
            raise ImportDataError(
                "the 2025-07-01 and 2026-07-25 revisions do not list the same codes"
            )
        if set(p26) != official_provinces:
            raise ImportDataError(
                f"province codes differ from {files['gso_provinces']}: "
                f"{sorted(set(p26) ^ official_provinces)}"
            )
        # Codes of the thanglequoc lists that the official 1027 list spells
        # otherwise: the same commune (same folded name, same province) under
        # another code. The official code wins; the other is kept.
        official_for: dict[str, str] = {}
        unmatched = {c: r for c, r in gso.items() if c not in c25}
        for code in sorted(set(c25) - set(gso)):
            row = c25[code]
            province = fold(p25[row["province_code"]]["full_name"])
            matches = [
                c
                for c, r in unmatched.items()
                if fold(r["full_name"]) == fold(row["full_name"])
                and fold(r["province_full_name"]) == province
            ]
            if len(matches) != 1:
                raise ImportDataError(
                    f"commune {code} {row['full_name']} is not in {files['gso_communes']}"
                    " and no single official code matches its name"
                )
            official_for[code] = matches[0]
            del unmatched[matches[0]]
        if unmatched:
            raise ImportDataError(
                f"official commune code(s) missing from the lists: {sorted(unmatched)}"
            )
        self.errata = {official: other for other, official in official_for.items()}
        for code, row in p26.items():
            self.units[(Structure.TWO_LEVEL, code)] = _unit(
                row, level=UnitLevel.PROVINCE, parent=None, valid_from=TWO_LEVEL_FROM
            )
            self._rename((Structure.TWO_LEVEL, code), p25[code], row)
        for number, (code, row) in enumerate(c26.items(), start=2):
            if row["province_code"] not in p26:
                raise ImportDataError(
                    f"{files['communes_2026']} line {number}: unknown province "
                    f"{row['province_code']}"
                )
            if c25[code]["province_code"] != row["province_code"]:
                raise ImportDataError(
                    f"commune {code} moved to another province between revisions"
                )
            key = (Structure.TWO_LEVEL, official_for.get(code, code))
            self.units[key] = _unit(
                row,
                level=UnitLevel.COMMUNE,
                parent=(Structure.TWO_LEVEL, row["province_code"]),
                valid_from=TWO_LEVEL_FROM,
                alternative_codes=code if code in official_for else "",
            )
            self._rename(key, c25[code], row)

    def _rename(self, key: Key, before: dict[str, str], after: dict[str, str]) -> None:
        old_name, new_name = (normalize_name(r["full_name"]) for r in (before, after))
        old_type, new_type = (normalize_name(r["unit_type"]) for r in (before, after))
        if (old_name, old_type) != (new_name, new_type):
            self.renames[key] = (old_name, new_name, old_type, new_type)

    def three_level(self, raw: dict[str, list[dict[str, str]]]) -> None:
        files = UNIT_FILES
        old = Structure.THREE_LEVEL
        provinces = _index(
            raw["provinces_old"], "province_code", 2, files["provinces_old"]
        )
        districts = _index(
            raw["districts_old"], "district_code", 3, files["districts_old"]
        )
        communes = _index(raw["communes_old"], "ward_code", 5, files["communes_old"])
        for code, row in provinces.items():
            self.units[(old, code)] = _unit(
                row, level=UnitLevel.PROVINCE, parent=None, valid_to=THREE_LEVEL_TO
            )
        for number, (code, row) in enumerate(districts.items(), start=2):
            if row["province_code"] not in provinces:
                raise ImportDataError(
                    f"{files['districts_old']} line {number}: unknown province "
                    f"{row['province_code']}"
                )
            self.units[(old, code)] = _unit(
                row,
                level=UnitLevel.DISTRICT,
                parent=(old, row["province_code"]),
                valid_to=THREE_LEVEL_TO,
            )
        for number, (code, row) in enumerate(communes.items(), start=2):
            district = districts.get(row["district_code"])
            if district is None or district["province_code"] != row["province_code"]:
                raise ImportDataError(
                    f"{files['communes_old']} line {number}: unknown district "
                    f"{row['district_code']} of province {row['province_code']}"
                )
            self.units[(old, code)] = _unit(
                row,
                level=UnitLevel.COMMUNE,
                parent=(old, row["district_code"]),
                valid_to=THREE_LEVEL_TO,
            )

    def mapping(self, raw: dict[str, list[dict[str, str]]]) -> None:
        files = UNIT_FILES
        old, new = Structure.THREE_LEVEL, Structure.TWO_LEVEL
        merge_types: dict[tuple[str, str], str] = {}
        for number, row in enumerate(raw["new_from_old"], start=2):
            if row["merge_type"] not in MergeType.values:
                raise ImportDataError(
                    f"{files['new_from_old']} line {number}: unknown merge type "
                    f"{row['merge_type']!r}"
                )
            merge_types[(row["old_ward_code"], row["new_ward_code"])] = row[
                "merge_type"
            ]
        for number, row in enumerate(raw["old_to_new"], start=2):
            old_code, new_code = row["old_ward_code"], row["new_ward_code"]
            where = f"{files['old_to_new']} line {number}"
            if (new, new_code) not in self.units:
                raise ImportDataError(f"{where}: unknown new commune {new_code}")
            if (old, old_code) not in self.units:
                self._dissolved(row, where)
            merge_type = merge_types.get((old_code, new_code))
            if merge_type is None:
                raise ImportDataError(
                    f"{where}: {old_code} → {new_code} is missing from "
                    f"{files['new_from_old']}"
                )
            self.successions[((old, old_code), (new, new_code))] = merge_type
        # The reverse file also names the island districts without communes
        # that became special zones: old district → new unit.
        for (old_code, new_code), merge_type in merge_types.items():
            pair = ((old, old_code), (new, new_code))
            if pair in self.successions:
                continue
            unit = self.units.get((old, old_code))
            if unit is None or unit["level"] != UnitLevel.DISTRICT:
                raise ImportDataError(
                    f"{files['new_from_old']}: {old_code} → {new_code} is missing from "
                    f"{files['old_to_new']}"
                )
            if (new, new_code) not in self.units:
                raise ImportDataError(
                    f"{files['new_from_old']}: unknown new commune {new_code}"
                )
            self.successions[pair] = merge_type

    def _dissolved(self, row: dict[str, str], where: str) -> None:
        """Add an old commune known only from the mapping (dissolved earlier)."""
        old = Structure.THREE_LEVEL
        code, province = row["old_ward_code"], row["old_province_code"]
        if not _CODE[5].fullmatch(code) or (old, province) not in self.units:
            raise ImportDataError(f"{where}: unknown old commune {code}")
        full_name = normalize_name(row["old_ward_full_name"])
        unit_type = next(
            (t for t in _OLD_COMMUNE_TYPES if full_name.startswith(t + " ")), None
        )
        if unit_type is None:
            raise ImportDataError(
                f"{where}: cannot read the unit type of {full_name!r}"
            )
        self.units[(old, code)] = {
            "level": UnitLevel.COMMUNE,
            "name": full_name.removeprefix(unit_type + " "),
            "full_name": full_name,
            "name_en": "",
            "unit_type": unit_type,
            "search_name": fold(full_name),
            "alternative_codes": "",
            "valid_from": None,
            "valid_to": DISSOLVED_BEFORE,
            # The district is not in our sources; the province is.
            "parent": (old, province),
        }
        self.dissolved.append(code)


def _upsert_units(data: _UnitData, result: UnitImportResult) -> dict[Key, int]:
    """Create or update the unit rows, parents first; return their ids by key."""
    ids: dict[Key, int] = {}
    existing: dict[Key, dict[str, Any]] = {}
    for row in AdministrativeUnit.objects.values(
        "id", "structure", "code", "parent_id", *_UNIT_FIELDS
    ):
        existing[(row["structure"], row["code"])] = row
        ids[(row["structure"], row["code"])] = row["id"]
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        to_create, to_update = [], []
        for key, wanted in data.units.items():
            if wanted["level"] != level:
                continue
            values = {f: wanted[f] for f in _UNIT_FIELDS}
            values["parent_id"] = ids[wanted["parent"]] if wanted["parent"] else None
            current = existing.get(key)
            if current is None:
                to_create.append(
                    AdministrativeUnit(structure=key[0], code=key[1], **values)
                )
            elif any(current[f] != v for f, v in values.items()):
                to_update.append(AdministrativeUnit(pk=current["id"], **values))
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
        AdministrativeUnit.objects.bulk_update(
            to_update, [*_UNIT_FIELDS, "parent_id"], batch_size=1000
        )
        result.created += len(to_create)
        result.updated += len(to_update)
        if to_create:
            for pk, structure, code in AdministrativeUnit.objects.filter(
                level=level
            ).values_list("id", "structure", "code"):
                ids[(structure, code)] = pk
    return ids


def _upsert_renames(
    data: _UnitData, ids: dict[Key, int], result: UnitImportResult
) -> None:
    existing = {
        r.unit_id: r
        for r in AdministrativeUnitRename.objects.filter(effective_on=REVISION_2026)
    }
    to_create, to_update = [], []
    for key, (old_name, new_name, old_type, new_type) in data.renames.items():
        values = {
            "old_full_name": old_name,
            "new_full_name": new_name,
            "old_unit_type": old_type,
            "new_unit_type": new_type,
        }
        current = existing.get(ids[key])
        if current is None:
            to_create.append(
                AdministrativeUnitRename(
                    unit_id=ids[key], effective_on=REVISION_2026, **values
                )
            )
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            to_update.append(current)
    AdministrativeUnitRename.objects.bulk_create(to_create, batch_size=1000)
    AdministrativeUnitRename.objects.bulk_update(
        to_update,
        ["old_full_name", "new_full_name", "old_unit_type", "new_unit_type"],
    )
    result.renames_created, result.renames_updated = len(to_create), len(to_update)


def _upsert_successions(
    data: _UnitData, ids: dict[Key, int], result: UnitImportResult
) -> None:
    existing = {
        (old_id, new_id): (pk, merge_type)
        for pk, old_id, new_id, merge_type in UnitSuccession.objects.values_list(
            "id", "old_unit_id", "new_unit_id", "merge_type"
        )
    }
    to_create, to_update = [], []
    for (old_key, new_key), merge_type in data.successions.items():
        pair = (ids[old_key], ids[new_key])
        current = existing.get(pair)
        if current is None:
            to_create.append(
                UnitSuccession(
                    old_unit_id=pair[0],
                    new_unit_id=pair[1],
                    merge_type=merge_type,
                    effective_on=TWO_LEVEL_FROM,
                )
            )
        elif current[1] != merge_type:
            to_update.append(UnitSuccession(pk=current[0], merge_type=merge_type))
    UnitSuccession.objects.bulk_create(to_create, batch_size=1000)
    UnitSuccession.objects.bulk_update(to_update, ["merge_type"], batch_size=1000)
    result.successions_created = len(to_create)
    result.successions_updated = len(to_update)


def _count(**filters: Any) -> int:
    return AdministrativeUnit.objects.filter(**filters).count()


@transaction.atomic
def units_import(data_dir: Path) -> UnitImportResult:
    """
    Load the administrative units of data/vn-admin-units into the database.

    The two-level structure is loaded as of 01/7/2025 and then revised to
    25/7/2026: unit rows carry the current names and types, and each change is
    an ``AdministrativeUnitRename``. The old structure (63 provinces, 696
    districts, 10,035 communes, plus the 12 communes that only the mapping
    knows, dissolved before 01/3/2025) and the old → new successions follow.
    Official GSO 1027 commune codes are used where the lists disagree.

    Raise ImportDataError, having written nothing, if a file is missing or
    inconsistent. Units already in the database and absent from the files are
    left alone: agencies may refer to them.
    """
    data = _UnitData(data_dir)
    result = UnitImportResult(errata=data.errata, dissolved=sorted(data.dissolved))
    ids = _upsert_units(data, result)
    _upsert_renames(data, ids, result)
    _upsert_successions(data, ids, result)
    two, three = Structure.TWO_LEVEL, Structure.THREE_LEVEL
    result.counts = {
        "provinces": _count(structure=two, level=UnitLevel.PROVINCE),
        "communes": _count(structure=two, level=UnitLevel.COMMUNE),
        "old_provinces": _count(structure=three, level=UnitLevel.PROVINCE),
        "old_districts": _count(structure=three, level=UnitLevel.DISTRICT),
        "old_communes": _count(structure=three, level=UnitLevel.COMMUNE),
        "old_communes_dissolved": _count(
            structure=three, level=UnitLevel.COMMUNE, valid_to=DISSOLVED_BEFORE
        ),
        "renames": AdministrativeUnitRename.objects.count(),
        "successions": UnitSuccession.objects.count(),
        "successions_from_districts": UnitSuccession.objects.filter(
            old_unit__level=UnitLevel.DISTRICT
        ).count(),
    }
    return result


# --------------------------------------------------------------------------
# Days off
# --------------------------------------------------------------------------

HOLIDAY_COLUMNS = ["date", "kind", "is_non_working_day"]
# Kinds an official national schedule may contain (local days belong to a unit).
NATIONAL_KINDS = set(CalendarDayKind.values) - {CalendarDayKind.LOCAL_DAY_OFF}
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_ANSWERS = {"1": True, "0": False, "": None}


@dataclass
class HolidayImportResult:
    """What ``holidays_import`` did, year by year."""

    years: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: list[date] = field(default_factory=list)  # admin rows not in the file
    years_changed: int = 0  # newly confirmed, or their sources changed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.years_changed)


def _holiday_rows(path: Path) -> dict[date, dict[str, Any]]:
    rows = _read_csv(path, HOLIDAY_COLUMNS)
    if not rows:
        raise ImportDataError(f"{path.name}: no rows")
    days: dict[date, dict[str, Any]] = {}
    lengths: dict[str, int] = {
        f.name: f.max_length
        for f in CalendarDay._meta.concrete_fields
        if isinstance(f.max_length, int)
    }
    for number, row in enumerate(rows, start=2):
        where = f"{path.name} line {number}"
        try:
            day = date.fromisoformat(row["date"].strip())
        except ValueError:
            raise ImportDataError(
                f"{where}: {row['date']!r} is not a date (YYYY-MM-DD)"
            ) from None
        weekday = (row.get("weekday") or "").strip()
        if weekday and weekday != _WEEKDAYS[day.weekday()]:
            raise ImportDataError(
                f"{where}: {day} is a {_WEEKDAYS[day.weekday()]}, not a {weekday}"
            )
        kind = row["kind"].strip()
        if kind not in NATIONAL_KINDS:
            raise ImportDataError(f"{where}: unknown kind {kind!r}")
        answer = row["is_non_working_day"].strip()
        if answer not in _ANSWERS:
            raise ImportDataError(
                f"{where}: is_non_working_day must be 1, 0 or empty, not {answer!r}"
            )
        is_day_off = _ANSWERS[answer]
        if kind == CalendarDayKind.MAKEUP_WORKDAY and (
            is_day_off is not False or day.weekday() < 5
        ):
            raise ImportDataError(
                f"{where}: a makeup_workday is a working Saturday or Sunday (is_non_working_day 0)"
            )
        if is_day_off is None and kind != CalendarDayKind.PENDING_HOLIDAY:
            raise ImportDataError(
                f"{where}: is_non_working_day may be empty only for a pending_holiday"
            )
        if day in days:
            raise ImportDataError(f"{where}: {day} is listed twice")
        values = {
            "kind": kind,
            "is_day_off": is_day_off,
            "name": normalize_name(row.get("name_vi")),
            "legal_basis": normalize_name(row.get("legal_basis")),
            "source_url": (row.get("source_url") or "").strip(),
            "note": (row.get("note") or "").strip(),
        }
        for name, value in values.items():
            if (
                name in lengths
                and isinstance(value, str)
                and len(value) > lengths[name]
            ):
                raise ImportDataError(
                    f"{where}: {name} is longer than {lengths[name]} characters"
                )
        days[day] = values
    return days


@transaction.atomic
def holidays_import(path: Path, *, actor: Any = None) -> HolidayImportResult:
    """
    Load an official schedule of days off (CSV as data/vn-holidays/) into the
    national calendar, and mark every year it covers confirmed.

    A year loaded for the first time replaces any proposal: its national rows
    absent from the file are removed. A year already confirmed keeps rows an
    administrator added since (reported as kept). The decision an
    administrator took on a pending holiday (24/11 Ngày Văn hóa Việt Nam) is
    never reset by a file that still leaves it open. Raise ImportDataError,
    having written nothing, on a malformed file.
    """
    wanted = _holiday_rows(path)
    result = HolidayImportResult(years=sorted({d.year for d in wanted}))
    statuses = {
        y.year: y
        for y in CalendarYear.objects.select_for_update().filter(year__in=result.years)
    }
    existing = {
        row.date: row
        for row in CalendarDay.objects.filter(
            calendar__isnull=True, date__year__in=result.years
        )
    }
    to_create, to_update = [], []
    for day, values in sorted(wanted.items()):
        row = existing.pop(day, None)
        if row is None:
            to_create.append(CalendarDay(date=day, calendar=None, **values))
            continue
        if (
            values["is_day_off"] is None
            and row.kind == CalendarDayKind.PENDING_HOLIDAY
            and values["kind"] == CalendarDayKind.PENDING_HOLIDAY
        ):
            values = {**values, "is_day_off": row.is_day_off}
        if any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            to_update.append(row)
    stale = []
    for day, row in existing.items():
        status = statuses.get(day.year)
        if status is not None and status.status == YearStatus.CONFIRMED:
            result.kept.append(day)
        else:
            stale.append(row.pk)
    CalendarDay.objects.bulk_create(to_create)
    for row in to_update:
        row.save()
    CalendarDay.objects.filter(pk__in=stale).delete()
    result.created, result.updated, result.removed = (
        len(to_create),
        len(to_update),
        len(stale),
    )
    result.kept.sort()
    for year in result.years:
        bases = sorted(
            {
                v["legal_basis"]
                for d, v in wanted.items()
                if d.year == year and v["legal_basis"]
            }
        )
        source = "\n".join(bases) or path.name
        current = statuses.get(year)
        if current is None:
            CalendarYear.objects.create(
                year=year, status=YearStatus.CONFIRMED, source=source
            )
            result.years_changed += 1
        elif current.status != YearStatus.CONFIRMED or current.source != source:
            current.status, current.source = YearStatus.CONFIRMED, source
            current.save(update_fields=["status", "source", "updated_at"])
            result.years_changed += 1
    if result.changed:
        audit_record(
            event_type=AuditEvent.CALENDAR_CHANGE,
            actor=actor,
            target_type="units.calendarday",
            extra={
                "action": "import",
                "file": path.name,
                "years": result.years,
                "created": result.created,
                "updated": result.updated,
                "removed": result.removed,
            },
        )
    calendars.invalidate()
    transaction.on_commit(calendars.invalidate)
    return result
