"""Amounts in Vietnamese words, as printed on receipts."""

from decimal import Decimal

import pytest

from motcua.payments.words import amount_in_words, format_vnd, number_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (10_000, "mười nghìn"),
        (15_300, "mười lăm nghìn ba trăm"),
        (20_000, "hai mươi nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (250_000, "hai trăm năm mươi nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (2_000_000_000, "hai tỷ"),
        (5_000_001_000, "năm tỷ không trăm linh một nghìn"),
        (
            1_234_567_891,
            "một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt",
        ),
        (1_000_000_000_000, "một nghìn tỷ"),
        (
            99_999_999_999_999,
            "chín mươi chín nghìn chín trăm chín mươi chín tỷ "
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
            "chín trăm chín mươi chín",
        ),
    ],
)
def test_numbers_in_words(number, words):
    assert number_in_words(number) == words


def test_amounts_start_with_a_capital_and_end_with_the_currency():
    assert amount_in_words(10000) == "Mười nghìn đồng"
    assert amount_in_words(Decimal("20000")) == "Hai mươi nghìn đồng"
    assert amount_in_words(0) == "Không đồng"


def test_negative_and_fractional_amounts_are_refused():
    with pytest.raises(ValueError):
        amount_in_words(-1)
    with pytest.raises(ValueError):
        amount_in_words(Decimal("1.5"))


def test_figures_use_dots_between_thousands():
    assert format_vnd(Decimal(1250000)) == "1.250.000"
    assert format_vnd(500) == "500"
