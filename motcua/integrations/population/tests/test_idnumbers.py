"""The 12-digit personal identification number."""

import pytest

from motcua.integrations.population import idnumbers


@pytest.mark.parametrize(
    ("gender", "year", "digit"),
    [
        ("male", 1950, 0),
        ("female", 1999, 1),
        ("male", 2000, 2),
        ("female", 2024, 3),
        ("male", 2100, 4),
        ("female", 2399, 9),
    ],
)
def test_the_fourth_digit_encodes_gender_and_century(gender, year, digit):
    assert idnumbers.gender_century_digit(gender, year) == digit


def test_a_number_is_made_and_read_back():
    number = idnumbers.make("99", "female", 1987, 42)
    assert number == "099187000042"
    parts = idnumbers.parse(number)
    assert (parts.province_code, parts.gender, parts.birth_year, parts.serial) == (
        "099",
        "female",
        1987,
        "000042",
    )
    assert idnumbers.parse("001099012345").birth_year == 1999


def test_malformed_numbers_and_impossible_parts_are_refused():
    assert idnumbers.normalize(" 0010 9901 2345 ") == "001099012345"
    for bad in ("00109901234", "0010990123456", "00109901234a", ""):
        assert not idnumbers.is_well_formed(bad)
        with pytest.raises(ValueError):
            idnumbers.parse(bad)
    with pytest.raises(ValueError):
        idnumbers.gender_century_digit("male", 1899)
    with pytest.raises(ValueError):
        idnumbers.gender_century_digit("other", 1990)
    with pytest.raises(ValueError):
        idnumbers.make("99", "male", 1990, 1_000_000)
