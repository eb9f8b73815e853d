"""
The catalogue parsers, fed with strings copied from data/vn-tthc-catalog/
(the record code is given next to each one) and a few odd inputs.
"""

from datetime import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog import parsing
from motcua.catalog.constants import Channel, CopyType, DurationUnit, FeeKind
from motcua.catalog.parsing import Confidence, DurationProblem

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "expected_value", "expected_unit"),
    [
        ("7", "Ngày làm việc", D(7), DurationUnit.WORKING_DAYS),  # 1.004222
        ("15", "Ngày", D(15), DurationUnit.CALENDAR_DAYS),  # 1.000034
        ("1", "Giờ", D(1), DurationUnit.WORKING_HOURS),
        ("4", "Tháng", D(4), DurationUnit.CALENDAR_MONTHS),  # 1.002947
        ("1.5", "Ngày làm việc", D("1.5"), DurationUnit.WORKING_DAYS),  # 1.013097
        ("0,5", "ngày làm việc", D("0.5"), DurationUnit.WORKING_DAYS),
    ],
)
def test_channel_duration_units(value, unit, expected_value, expected_unit):
    """The portal's units map to working days, calendar days, hours and months."""
    duration = parsing.parse_channel_duration(value, unit)

    assert duration.usable
    assert (duration.value, duration.unit) == (expected_value, expected_unit)
    assert duration.confidence == Confidence.EXPLICIT


@pytest.mark.parametrize(
    ("text", "expected_value", "expected_unit"),
    [
        ("30 Ngày làm việc", D(30), DurationUnit.WORKING_DAYS),  # BQP 1.013124
        ("07 Ngày làm việc", D(7), DurationUnit.WORKING_DAYS),  # BQP
        ("01 Giờ", D(1), DurationUnit.WORKING_HOURS),  # BQP
        ("0.5 Giờ", D("0.5"), DurationUnit.WORKING_HOURS),  # BQP 1.013585
        ("60 Ngày", D(60), DurationUnit.CALENDAR_DAYS),  # BQP
        ("3 - 5 ngày làm việc", D(5), DurationUnit.WORKING_DAYS),
        ("từ 3 đến 5 ngày", D(5), DurationUnit.CALENDAR_DAYS),
        ("30 phút", D("0.5"), DurationUnit.WORKING_HOURS),
        ("2 tuần", D(14), DurationUnit.CALENDAR_DAYS),
        ("05 (năm) ngày làm việc", D(5), DurationUnit.WORKING_DAYS),
    ],
)
def test_duration_text(text, expected_value, expected_unit):
    """Whole duration texts, ranges taking their maximum, other units converted."""
    duration = parsing.parse_duration(text)

    assert (duration.value, duration.unit) == (expected_value, expected_unit)


def test_a_range_notes_that_its_maximum_was_taken():
    """ "10-25" (BQP 1.013629) is bare: its unit comes from "10-25 ngày"."""
    duration = parsing.parse_duration("10-25")
    assert duration.bare
    assert duration.value == 25
    assert "tối đa 25" in duration.notes[0]

    resolved = parsing.resolve_bare_number(
        duration, "10-25 ngày kể từ ngày nhận được hồ sơ hợp lệ."
    )

    assert (resolved.value, resolved.unit) == (25, DurationUnit.CALENDAR_DAYS)
    assert resolved.confidence == Confidence.CONFIRMED


@pytest.mark.parametrize(
    "text",
    [
        "Trong ngày",
        "ngay",
        "Trong ngày làm việc",
        "0 Giờ",  # BQP 1.013562, described "Ngay sau khi … tiếp nhận"
        "Ngay sau khi Biên phòng cửa khẩu cảng tiếp nhận đề nghị cho phép thuyền viên đi bờ.",
    ],
)
def test_immediate(text):
    """Same-day phrases and zero with a unit are immediate."""
    duration = parsing.parse_duration(text)

    assert duration.unit == DurationUnit.IMMEDIATE
    assert duration.usable
    assert duration.label == "trong ngày"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", DurationProblem.NO_DURATION),
        (None, DurationProblem.NO_DURATION),
        ("Không có thông tin", DurationProblem.NO_DURATION),
        ("Không", DurationProblem.NO_DURATION),
        ("Không quy định", DurationProblem.NOT_REGULATED),  # BQP 1.013144
        ("Chậm nhất là ngay trước khi tàu rời cảng", DurationProblem.UNPARSED),  # BQP
        (
            "Thủ tục nhập cảnh được coi là kết thúc kể từ khi người làm thủ tục nộp "
            "đầy đủ các giấy tờ theo quy định.",
            DurationProblem.UNPARSED,
        ),
        ("∞ ???", DurationProblem.UNPARSED),
    ],
)
def test_no_duration(text, problem):
    """Texts without a duration say why, and never raise."""
    duration = parsing.parse_duration(text)

    assert not duration.usable
    assert duration.unit is None
    assert duration.problem == problem


@pytest.mark.parametrize(
    ("value", "context", "expected_value", "expected_unit", "confidence", "problem"),
    [
        # 1.009661: counter "1" with no unit; its online row says 3 working days.
        ("1", "Miễn phí(Không)", None, None, None, DurationProblem.PLACEHOLDER_ONE),
        # 1.013206: the steps text confirms "01 ngày làm việc".
        (
            "1",
            "- Tiếp nhận hồ sơ: Trong thời hạn 01 ngày làm việc kể từ ngày nhận được hồ sơ",
            D(1),
            DurationUnit.WORKING_DAYS,
            Confidence.CONFIRMED,
            None,
        ),
        # 2.001999: "Trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ".
        (
            "3",
            "- Trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ, Sở Kế hoạch và Đầu tư",
            D(3),
            DurationUnit.WORKING_DAYS,
            Confidence.CONFIRMED,
            None,
        ),
        # 1.001193 (đăng ký khai sinh): "1" and a same-day rule with a cut-off.
        (
            "1",
            "(i) Trường hợp hồ sơ đầy đủ, hợp lệ thì tiếp nhận hồ sơ; nếu tiếp nhận hồ sơ "
            "sau 15 giờ thì có Phiếu hẹn, trả kết quả cho người yêu cầu trong ngày làm "
            "việc tiếp theo",
            None,
            DurationUnit.IMMEDIATE,
            Confidence.CONFIRMED,
            None,
        ),
        # 1.013089: "ngay trong ngày nhận đủ hồ sơ".
        (
            "1",
            "Cơ sở đăng kiểm cấp giấy chứng nhận kiểm định, tem kiểm định ngay trong ngày "
            "nhận đủ hồ sơ theo quy định.",
            None,
            DurationUnit.IMMEDIATE,
            Confidence.CONFIRMED,
            None,
        ),
        # 2.000806 (đăng ký kết hôn có yếu tố nước ngoài): nothing confirms "5".
        ("5", "Miễn phí", D(5), DurationUnit.WORKING_DAYS, Confidence.ASSUMED, None),
        # "15" must not be confirmed by "115 ngày" nor by "1/5".
        (
            "15",
            "trong 115 ngày, ngày 1/5",
            D(15),
            DurationUnit.WORKING_DAYS,
            Confidence.ASSUMED,
            None,
        ),
        # 1.115148: "0" with "Ủy ban nhân dân cấp tỉnh quy định chi tiết".
        (
            "0",
            "Ủy ban nhân dân cấp tỉnh quy định chi tiết",
            None,
            None,
            None,
            DurationProblem.ZERO_WITHOUT_UNIT,
        ),
    ],
)
def test_bare_numbers(
    value, context, expected_value, expected_unit, confidence, problem
):
    """A number without unit takes the unit the text confirms, else a decision."""
    duration = parsing.resolve_bare_number(
        parsing.parse_channel_duration(value, ""), context
    )

    assert duration.value == expected_value or problem is not None
    assert duration.unit == expected_unit
    assert duration.problem == problem
    if confidence is not None:
        assert duration.confidence == confidence
        assert "không" in duration.notes[-1] and "đơn vị" in duration.notes[-1]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # 1.000110 (khai sinh có yếu tố nước ngoài)
        (
            [
                "(i) Trường hợp hồ sơ đầy đủ, hợp lệ thì tiếp nhận hồ sơ; nếu tiếp nhận "
                "hồ sơ sau 15 giờ thì có Phiếu hẹn, trả kết quả cho người yêu cầu trong ngày"
            ],
            time(15, 0),
        ),
        # 1.003632
        (
            [
                "Trường hợp cơ quan tiếp nhận hồ sơ sau 16 giờ thì văn bản trả lời được "
                "gửi trong ngày làm việc tiếp theo."
            ],
            time(16, 0),
        ),
        (
            ["Hồ sơ nhận sau 15h thì trả kết quả vào ngày làm việc tiếp theo."],
            time(15, 0),
        ),
        (["", None, "nhận hồ sơ sau 14h30 được tính từ ngày hôm sau"], time(14, 30)),
        # 1.003785: a duration, not a clock time.
        (
            [
                "Trường hợp tàu biển đã được cấp Giấy phép rời cảng mà vẫn lưu lại tại "
                "cảng quá 24 giờ kể từ thời điểm tàu biển được phép rời càng"
            ],
            None,
        ),
        (["Hồ sơ được nhận sau 12 giờ kể từ khi nộp phí"], None),
        (
            ["thông báo cho các đơn vị, địa phương sau 15 ngày kể từ ngày tiếp nhận"],
            None,
        ),
        ([], None),
    ],
)
def test_cutoff(texts, expected):
    """A reception cut-off is a clock time after a word about receiving."""
    assert parsing.parse_cutoff(*texts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trực tiếp", Channel.COUNTER),
        ("Trực tuyến", Channel.ONLINE),
        ("Dịch vụ bưu chính", Channel.POST),
        ("  trực tiếp ", Channel.COUNTER),
        ("Fax", None),
        ("", None),
    ],
)
def test_channels(text, expected):
    assert parsing.parse_channel(text) == expected


@pytest.mark.parametrize(
    ("text", "levels", "unknown"),
    [
        ("Cấp bộ, Cấp tỉnh, Cấp xã", ["ministry", "province", "commune"], []),
        (
            "Cấp Bộ, Cấp Tỉnh, Cấp Xã, Cơ quan khác",
            ["ministry", "province", "commune", "other"],
            [],
        ),
        ("Cấp xã", ["commune"], []),
        ("Cấp huyện, Cấp tỉnh", ["province"], ["Cấp huyện"]),
        ("", [], []),
    ],
)
def test_levels(text, levels, unknown):
    """Implementing levels, with what is not a level of the two-level state."""
    assert parsing.parse_levels(text) == (levels, unknown)


@pytest.mark.parametrize(
    ("text", "amounts", "free", "known", "note"),
    [
        ("Miễn phí", [], True, True, None),
        ("Miễn phí(Không có)", [], True, True, None),
        ("Không có thông tin", [], False, False, None),
        ("Không Không có thông tin", [], True, True, None),
        # 1.004222, online
        (
            "10,000 Việt Nam Đồng(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công "
            "trực tuyến thu 10.000 đồng/lần đăng ký.)",
            [D(10000)],
            False,
            True,
            None,
        ),
        # 2.000806
        (
            "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc "
            "Trung ương quyết định. Miễn lệ phí cho người thuộc gia đình có công với cách "
            "mạng; người thuộc hộ nghèo; người khuyết tật.)",
            [],
            True,
            True,
            "Hội đồng nhân dân",
        ),
        # 1.000807: foreign currency is a note, not an amount.
        ("10 USD(10USD/giấy)", [], False, True, "ngoại tệ «10 USD»"),
        # 1.000034: the portal stored thousands; the note gives the full amount.
        ("20 VNĐ(20.000 vnđ /tờ khai)", [D(20000)], False, True, "theo ghi chú"),
        # 1.002010: "50" with a note of 25.000 đồng is not recovered.
        (
            "50 VNĐ((áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày "
            "31/12/2026 theo Thông tư số 64/2025/TT-BTC))",
            [],
            False,
            False,
            "không hợp lý",
        ),
        # 1.003358: a USD fee labelled VNĐ is below any real amount in đồng.
        (
            "155 VNĐ(Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm: 155 USD/thẻ.)",
            [],
            False,
            False,
            "không hợp lý",
        ),
        # 1.013206: "Miễn phí" whose note states amounts.
        (
            "Miễn phí(Lệ phí cấp giấy chứng nhận: 40.000 đồng/01 Giấy chứng nhận, riêng "
            "đối với ô tô dưới 10 chỗ ngồi (không bao gồm xe cứu thương): 90.000 đồng/01 "
            "Giấy chứng nhận.)",
            [],
            True,
            True,
            "cần kiểm tra",
        ),
    ],
)
def test_fee_cell(text, amounts, free, known, note):
    """The fee cell of a CSDLQG row: VND amounts only, the rest as notes."""
    fees, _ = parsing.parse_fee_cell(text)

    assert [a.amount for a in fees.amounts] == amounts
    assert fees.free is free
    assert fees.known is known
    if note:
        assert any(note in n for n in fees.notes), fees.notes


def test_fee_cell_returns_the_description_after_it():
    """1.003632: "Miễn phí" followed by the description cell."""
    fees, rest = parsing.parse_fee_cell(
        "Miễn phí20 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định"
    )

    assert fees.free
    assert rest == "20 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định"


@pytest.mark.parametrize(
    ("text", "amounts", "free", "note"),
    [
        ("Miễn phí", [], True, None),
        ("Không", [], True, None),
        ("150,000 Việt Nam Đồng", [(D(150000), None)], False, None),
        ("10.000 đồng/bản", [(D(10000), None)], False, None),
        ("Lệ phí: 2 triệu đồng", [(D(2000000), FeeKind.CHARGE)], False, None),
        ("Phí : 0 Đồng", [], True, None),  # BQP
        ("Phí : Không Đồng", [], True, None),  # BQP 1.013577
        ("Phí : o Đồng", [], True, None),  # BQP 1.013194, a typo for 0
        # BQP 3.000422: the amount opens the entry, the note's amounts are notes.
        (
            "Phí : 50.000 Đồng (50.000 đồng/hồ sơ. Riêng sơ tuyển các ngành năng khiếu: "
            "120.000 đồng/hồ sơ (bao gồm tất cả các môn).)",
            [(D(50000), FeeKind.FEE)],
            False,
            None,
        ),
        # BQP 1.013539: several entries, each with its case.
        (
            "Phí : 2.000.000 Đồng (Thẩm định cấp phép sử dụng vật liệu nổ công nghiệp phục vụ  "
            "nghiên cứu, kiểm định, thử nghiệm)\nPhí : 3.500.000 Đồng (Thẩm định cấp phép sử "
            "dụng vật liệu nổ công nghiệp phục vụ tìm kiếm, thăm dò, khai thác trên đất liền)",
            [(D(2000000), FeeKind.FEE), (D(3500000), FeeKind.FEE)],
            False,
            None,
        ),
        # BQP 1.013575: USD entries are notes, the đồng entry is an amount.
        (
            "Lệ phí : 01 USD (Người Việt Nam và nước ngoài từ 16 tuổi trở lên xuống tàu "
            "thuyền nước ngoài)\nLệ phí : 0.5 USD (Người Việt Nam và nước ngoài dưới 16 tuổi "
            "xuống tàu thuyền nước ngoài)\nLệ phí : 20000 Đồng (Người điều khiển phương tiện)",
            [(D(20000), FeeKind.CHARGE)],
            False,
            "ngoại tệ «0.5 USD»",
        ),
        # BQP 1.013199: a rate, not an amount (and "2016 Đồng" is a year).
        (
            "Phí : Mức thu bằng 50% mức thu phí quy định tại Mục I và Mục II Biểu mức thu "
            "phí, lệ phí ban hành kèm theo Thông tư số 249/2016/TT-BTC ngày 11 tháng 11 năm "
            "2016 Đồng (Thông tư số 64/2025/TT-BTC)",
            [],
            False,
            "không có mức thu cụ thể",
        ),
        # BQP 1.013550
        (
            "Phí :  Đồng (Theo quy định của Bộ Tài chính)\nFile đính kèm: 62-btc.signed.pdf",
            [],
            False,
            "không có mức thu cụ thể",
        ),
        (
            "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định",
            [],
            False,
            "Hội đồng nhân dân",
        ),
        ("", [], False, None),
        ("((((", [], False, "không có mức thu cụ thể"),
    ],
)
def test_fee_text(text, amounts, free, note):
    """Fees in free text and in the Ministry of Defence table."""
    fees = parsing.parse_fee_text(text)

    assert [(a.amount, a.kind) for a in fees.amounts] == amounts
    assert fees.free is free
    if note:
        assert any(note in n for n in fees.notes), fees.notes


def test_an_amount_per_unit_keeps_the_unit_in_its_note():
    (fee,) = parsing.parse_fee_text("10.000 đồng/bản").amounts

    assert fee.note == "Tính theo bản."


def _row(channel, value, unit, raw):
    return parsing.parse_csdlqg_row(
        {
            "channel": channel,
            "time_value": value,
            "time_unit": unit,
            "fee_and_note_raw": raw,
        }
    )


def test_row_without_time_takes_the_time_cell_off_the_fee_text():
    """1.001612: "Không có thông tin" (time), then "150,000 Việt Nam Đồng(…)" (fee)."""
    row = _row(
        "Trực tuyến",
        "",
        "",
        "Không có thông tin150,000 Việt Nam Đồng(- Mức lệ phí cụ thể do Hội đồng nhân dân "
        "tỉnh quyết định (căn cứ quy định tại Thông tư số 85/2019/TT-BTC).)",
    )

    assert row.channel == Channel.ONLINE
    assert row.duration.problem == DurationProblem.NO_DURATION
    assert [a.amount for a in row.fees.amounts] == [D(150000)]
    assert any("Hội đồng nhân dân" in n for n in row.fees.notes)


@pytest.mark.parametrize(
    ("raw", "problem", "value", "amounts"),
    [
        # 1.007643: "1" + "20 VNĐ" or "12" + "0 VNĐ": nothing says which.
        ("120 VNĐ", DurationProblem.GLUED_TO_FEE, None, []),
        # 1.000034-like: the note confirms 20.000 đồng, so the time is "1".
        ("120 VNĐ(20.000 vnđ /tờ khai)", None, D(1), [D(20000)]),
        # The time cell says "Không phải trả kết quả…" (2.002237).
        (
            "Không phải trả kết quả cho người nộp thuếMiễn phíQua Cổng dịch vụ công quốc gia",
            DurationProblem.NO_DURATION,
            None,
            [],
        ),
        ("Không quy địnhMiễn phí", DurationProblem.NOT_REGULATED, None, []),
    ],
)
def test_row_whose_time_cell_ran_into_the_fee(raw, problem, value, amounts):
    row = _row("Trực tiếp", "", "", raw)

    assert row.duration.problem == problem
    assert row.duration.value == value
    assert [a.amount for a in row.fees.amounts] == amounts


def test_choose_duration_prefers_the_counter():
    """1.004222: counter and online both 7 working days; counter is legal."""
    rows = [
        _row("Trực tuyến", "7", "Ngày làm việc", "10,000 Việt Nam Đồng(…)"),
        _row("Trực tiếp", "7", "Ngày làm việc", "20,000 Việt Nam Đồng(…)"),
    ]

    choice = parsing.choose_duration(rows, "")

    assert choice.channel == Channel.COUNTER
    assert (choice.duration.value, choice.duration.unit) == (
        7,
        DurationUnit.WORKING_DAYS,
    )
    assert choice.text == "Trực tuyến: 7 Ngày làm việc; Trực tiếp: 7 Ngày làm việc"
    assert choice.notes == ()


def test_choose_duration_notes_other_channels_and_cases():
    """1.000045: three cases per channel; 1.001023: online differs from counter."""
    rows = [
        _row("Trực tiếp", "2", "Ngày làm việc", "Miễn phí"),
        _row("Trực tiếp", "4", "Ngày làm việc", "Miễn phí"),
        _row("Trực tuyến", "1", "Ngày làm việc", "Miễn phí"),
    ]

    choice = parsing.choose_duration(rows, "")

    assert choice.duration.value == 4
    assert "lấy thời hạn dài nhất" in choice.notes[0]
    assert "Trực tuyến: 1 ngày làm việc" in choice.notes[1]


def test_choose_duration_prefers_a_written_unit_to_a_bare_number():
    """1.009661: counter and post say "1"; online says 3 working days."""
    rows = [
        _row("Dịch vụ bưu chính", "1", "", "Miễn phí(Không)"),
        _row("Trực tiếp", "1", "", "Miễn phí(Không)"),
        _row(
            "Trực tuyến",
            "3",
            "Ngày làm việc",
            "Miễn phí03 ngày làm việc kể từ ngày nhận được thông báo của nhà đầu tư.",
        ),
    ]

    choice = parsing.choose_duration(rows, "")

    assert choice.channel == Channel.ONLINE
    assert choice.duration.value == 3


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([], DurationProblem.NO_CHANNELS),
        (
            [("Trực tiếp", "", "", "Không có thông tinMiễn phí")],
            DurationProblem.NO_DURATION,
        ),
        (
            [
                ("Trực tiếp", "", "", "Không có thông tin"),
                ("Trực tuyến", "1", "", "Miễn phí"),
            ],
            DurationProblem.PLACEHOLDER_ONE,
        ),
    ],
)
def test_choose_duration_without_a_usable_one(rows, problem):
    choice = parsing.choose_duration([_row(*r) for r in rows], "")

    assert choice.duration is None
    assert choice.problem == problem


def test_fee_items_shared_by_every_channel():
    """1.002417: 12,000,000 đồng on every channel and in both cases: one item."""
    rows = [
        _row(c, d, "Ngày làm việc", "12,000,000 Việt Nam Đồng(đồng/lần)trường hợp …")
        for c in ("Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp")
        for d in ("15", "5")
    ]

    specs, notes = parsing.plan_fee_items(rows)

    assert [(s.channel, s.amount) for s in specs] == [("", D(12000000))]
    assert notes == []


def test_fee_items_per_channel():
    """1.004222: 10,000 đồng online, 20,000 đồng at the counter."""
    rows = [
        _row("Trực tuyến", "7", "Ngày làm việc", "10,000 Việt Nam Đồng(online)"),
        _row("Trực tiếp", "7", "Ngày làm việc", "20,000 Việt Nam Đồng(counter)"),
    ]

    specs, _ = parsing.plan_fee_items(rows)

    assert sorted((s.channel, s.amount) for s in specs) == [
        ("counter", D(20000)),
        ("online", D(10000)),
    ]
    assert {s.name for s in specs} == {"Phí, lệ phí"}


def test_alternative_fee_items_are_named_by_their_case():
    rows = [
        parsing.parse_bqp_row(
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "15 Ngày làm việc",
                "phi_le_phi": "Phí : 2.000.000 Đồng (nghiên cứu)\nPhí : 3.500.000 Đồng (thăm dò)",
            }
        )
    ]

    specs, _ = parsing.plan_fee_items(rows)

    assert [(s.name, s.kind) for s in specs] == [
        ("Phí – nghiên cứu", FeeKind.FEE),
        ("Phí – thăm dò", FeeKind.FEE),
    ]


COMPONENTS_1_004222 = (
    "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mìnhTên giấy tờMẫu đơn, "
    "tờ khaiSố lượngVăn bản xác nhận của Ủy ban nhân dân cấp xã về địa điểm phương tiện "
    "đăng ký đậu, đỗ thường xuyên.1 bản chínhGiấy chứng nhận đăng ký phương tiện.1 bản "
    "chínhNgười được chăm sóc, nuôi dưỡng, trợ giúpTên giấy tờMẫu đơn, tờ khaiSố lượngGiấy "
    "tờ, tài liệu xác nhận về việc chăm sóc, nuôi dưỡng, trợ giúp.1 bản chính"
)


def test_components_with_cases():
    """1.004222's table (shortened): two cases, three documents."""
    parsed = parsing.parse_components_table(COMPONENTS_1_004222)

    assert parsed.structured
    assert [(c.case[:25], c.name[:30], c.count) for c in parsed.components] == [
        ("Đăng ký thường trú vào ch", "Văn bản xác nhận của Ủy ban nh", 1),
        ("Đăng ký thường trú vào ch", "Giấy chứng nhận đăng ký phương", 1),
        ("Người được chăm sóc, nuôi", "Giấy tờ, tài liệu xác nhận về ", 1),
    ]


def test_components_copies_and_attached_forms():
    """2.001999 (copies) and 1.000752 / 1.014911 (forms glued to the name)."""
    parsed = parsing.parse_components_table(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng- Bản sao hợp lệ Giấy chứng nhận đăng ký mã "
        "số thuế;0 bản chính,1 bản sao- Văn bản đề nghị theo mẫu tại Phụ lục XIII ban hành "
        "kèm theo Thông tư số 56/2025/TT-NHNN.Phụ lục XIII.docx1 bản chínhĐơn đề nghị cấp "
        "lại Chứng nhận đủ điều kiện kinh doanh dịch vụ xử lý dữ liệu cá "
        "nhânTTHC5-Mu06-ncpliGCNdchvxlDLCN.docx1 bản chính,1 bản sao"
    )

    first, second, third = parsed.components
    assert (first.copy_type, first.count, first.case) == (CopyType.COPY, 1, "")
    assert first.name == "Bản sao hợp lệ Giấy chứng nhận đăng ký mã số thuế;"
    assert second.name.endswith("Thông tư số 56/2025/TT-NHNN.")
    assert second.note == "mẫu: Phụ lục XIII.docx"
    assert third.name.endswith("dữ liệu cá nhân")
    assert third.note == "kèm 1 bản sao; mẫu: TTHC5-Mu06-ncpliGCNdchvxlDLCN.docx"


def test_a_count_inside_a_name_does_not_split_it():
    """ "01 bản chính Kế hoạch…" is part of a name, "1 bản chính" glued is a count."""
    parsed = parsing.parse_components_table(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị theo mẫu quy định;1 bản chính01 "
        "bản chính Kế hoạch an ninh tàu biển1 bản chính"
    )

    assert [c.name for c in parsed.components] == [
        "Đơn đề nghị theo mẫu quy định;",
        "01 bản chính Kế hoạch an ninh tàu biển",
    ]


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("Đơn đề nghị …[truncated]", "cắt ngắn"),
        ("KQ.G04.000398", "không ở dạng bảng"),  # 6.003500
        ("--Tên giấy tờMẫu đơn, tờ khaiSố lượngKhông rõ số lượng", "không đọc được"),
        ("", None),
        ("Không có thông tin", None),
    ],
)
def test_components_not_made_up(raw, note):
    """Unreadable tables give no components, only the raw text and a note."""
    parsed = parsing.parse_components_table(raw)

    assert parsed.components == ()
    assert not parsed.structured
    if note:
        assert note in parsed.notes[0]


def test_bqp_component():
    """BQP 1.013124: "so_luong" holds the form file, "ghi_chu" the counts."""
    component = parsing.parse_bqp_component(
        {
            "ten_giay_to": "Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II",
            "so_luong": "5-PHLCII.doc",
            "ghi_chu": "Bản chính: 1\nBản sao: 0",
        }
    )

    assert component.name.startswith("Kế hoạch ứng phó")
    assert (component.count, component.copy_type) == (1, CopyType.ORIGINAL)
    assert component.note == "mẫu: 5-PHLCII.doc"
    assert parsing.parse_bqp_component({"ten_giay_to": "  "}) is None
    copy = parsing.parse_bqp_component(
        {"ten_giay_to": "Giấy", "ghi_chu": "Bản chính: 0\nBản sao: 5"}
    )
    assert (copy.count, copy.copy_type) == (5, CopyType.COPY)


def test_results():
    """1.004222's result cell."""
    pairs, text = parsing.parse_results(
        "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064Thông "
        "báo kết quả giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trúMã: "
        "KQ.G01.000065Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)Mã: "
        "KQ.G01.000067Từ khóaKhông có thông tinMô tảKhông có thông tin"
    )

    assert [code for code, _ in pairs] == [
        "KQ.G01.000064",
        "KQ.G01.000065",
        "KQ.G01.000067",
    ]
    assert pairs[2][1] == "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)"
    assert "Từ khóa" not in text


def test_results_without_codes_keep_the_text():
    pairs, text = parsing.parse_results(
        "Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu."
    )

    assert pairs == []
    assert text == "Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu."


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "",
        "(((",
        ")))",
        "1 bản chính",
        "Mã: Mã:",
        "0" * 50,
        "ạ" * 300,
        "\x00\n\t",
        "1,2,3 - 4 - 5 ngày",
    ],
)
def test_nothing_raises_on_odd_input(junk):
    """Every parser returns something for any string."""
    parsing.parse_duration(junk)
    parsing.resolve_bare_number(parsing.parse_duration(junk), junk)
    parsing.parse_cutoff(junk)
    parsing.parse_fee_cell(junk)
    parsing.parse_fee_text(junk)
    parsing.parse_levels(junk)
    parsing.parse_channel(junk)
    parsing.parse_components_table(junk)
    parsing.parse_results(junk)
    row = parsing.parse_csdlqg_row(
        {
            "channel": junk,
            "time_value": junk,
            "time_unit": junk,
            "fee_and_note_raw": junk,
        }
    )
    parsing.choose_duration([row], junk)
    parsing.plan_fee_items([row])


@pytest.mark.parametrize(
    "text",
    [
        "Đăng ký  KHAI sinh",
        "Thủ tục cấp Giấy phép xuất nhập cảnh (Hòa Bình, Thuỷ Nguyên)",
        "Cơ sở dữ liệu quốc gia về dân cư\n\tĐƯỜNG ỐNG",
        "İstanbul ß ẞ Ǆ",
        "",
    ],
)
def test_fast_fold_agrees_with_core_fold(text):
    """The importer's fast fold gives the same search keys as core.text.fold."""
    from motcua.core.text import fold

    assert parsing.fast_fold(text) == fold(text)
    assert len(parsing.fold_aligned(text)) == len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_parsers_never_raise_on_any_text(text):
    test_nothing_raises_on_odd_input(text)
