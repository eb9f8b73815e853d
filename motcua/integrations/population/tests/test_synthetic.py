"""The synthetic residents of the demo province."""

from collections import Counter
from pathlib import Path

from django.conf import settings

from motcua.integrations.population import idnumbers
from motcua.integrations.population.synthetic import (
    REFERENCE_YEAR,
    generate_residents,
    load_name_data,
)

NAMES = load_name_data(Path(settings.DATA_DIR) / "vn-names")


def test_the_same_seed_gives_the_same_residents():
    first = generate_residents(NAMES, count=300, seed=7)
    assert first == generate_residents(NAMES, count=300, seed=7)
    assert first != generate_residents(NAMES, count=300, seed=8)
    assert len(first) == 300


def test_numbers_are_unique_and_agree_with_gender_and_birth(residents):
    assert len({r.id_number for r in residents}) == len(residents)
    for r in residents:
        parts = idnumbers.parse(r.id_number)
        assert parts.gender == r.gender
        assert parts.birth_year == r.birth_date.year <= REFERENCE_YEAR
    born_here = sum(r.id_number.startswith("099") for r in residents)
    assert 0.75 < born_here / len(residents) < 0.95


def test_names_are_in_vietnamese_order_and_match_the_gender(residents):
    surnames = set(NAMES.surnames.values)
    for r in residents:
        assert r.full_name.split()[0] == r.surname in surnames
        assert r.full_name.split()[-1] == r.given
        assert r.given in NAMES.givens[r.gender].values
        assert all(m in NAMES.middles[r.gender].values for m in r.middle)
        # The gender markers: Thị for women, Văn for men.
        assert ("Thị" in r.middle) <= (r.gender == "female")
        assert ("Văn" in r.middle) <= (r.gender == "male")
    assert Counter(r.surname for r in residents).most_common(1)[0][0] == "Nguyễn"


def test_households_share_an_address_and_have_one_head(residents):
    by_household: dict[str, list] = {}
    for r in residents:
        by_household.setdefault(r.household_id, []).append(r)
    assert len(by_household) > 400
    for members in by_household.values():
        heads = [m for m in members if m.relation == "Chủ hộ"]
        assert len(heads) == 1
        head = heads[0]
        assert {m.address for m in members} == {head.address}
        assert {m.head_id_number for m in members} == {head.id_number}
        for m in members:
            if m.relation == "Con":
                assert head.birth_date.year - m.birth_date.year <= -20 or any(
                    p.relation in ("Vợ", "Chồng")
                    and m.birth_date.year - p.birth_date.year >= 20
                    for p in members
                )
            if m.relation == "Vợ":
                assert m.gender == "female" and head.gender == "male"


def test_addresses_use_the_given_communes_and_province(residents):
    known = residents[0]
    assert (known.id_number, known.full_name) == ("001099012345", "Nguyễn Văn An")
    assert known.address == "Số 12, đường Lê Lợi, Xã An Hòa, Tỉnh Lâm Hải Giang"
    assert {r.commune_code for r in residents} == {
        "99001",
        "99002",
        "99003",
        "99004",
        "99005",
    }
    custom = generate_residents(
        NAMES,
        count=50,
        communes=[("12345", "Xã Thử Nghiệm")],
        province_name="Tỉnh Mẫu",
        include_known=False,
    )
    assert all(r.address.endswith(", Xã Thử Nghiệm, Tỉnh Mẫu") for r in custom)
