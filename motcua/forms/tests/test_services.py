"""
Every form rendered to PDF from a dossier brought to the right state through
the dossier services, then read back: page size, Vietnamese text, fonts.
"""

import pytest

from motcua.audit.models import DataAccessLog
from motcua.core.exceptions import NotFound, ValidationFailed
from motcua.forms.services import FormNotAvailable, form_render_pdf

from .pdf import A4_LANDSCAPE, A5, read_pdf

pytestmark = pytest.mark.django_db

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HEADER = ("UBND XÃ AN HÒA", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ AN HÒA")


def assert_official(pdf, *expected):
    """The Decree 30 header, only the shipped fonts, and the expected values."""
    for value in (*MOTTO, *expected):
        assert value in pdf.text, value
    assert pdf.fonts and all(f.startswith("Motcua-Serif") for f in pdf.fonts)


def test_receipt_mau01_has_both_copies_the_code_due_time_fees_and_book_entry(build):
    dossier = build.received()
    pdf = read_pdf(form_render_pdf(dossier, "01"))
    assert pdf.pages == [A5, A5]
    assert_official(
        pdf,
        *HEADER,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mẫu số 01",
        "An Hòa, ngày 02 tháng 3 năm 2026",
        f"Số: {dossier.code}/TNHS",
        "001.01.01.H99-260302-0001",
        "tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký thường trú",
        "1 Tờ khai thay đổi thông tin cư trú (CT01) Bản chính 1",
        "2 Giấy tờ chứng minh chỗ ở hợp pháp Bản chính 1",
        "Số lượng hồ sơ: 01 (bộ)",
        "Thời gian giải quyết hồ sơ theo quy định: 07 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02 tháng 3 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 11 tháng 3 năm 2026",
        "Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả (TTPVHCC An Hòa)",
        "Lệ phí đăng ký cư trú 20.000 đồng (chưa nộp)",
        "Quyển số: 2026, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Lan",
    )
    assert "http://127.0.0.1:8000/lookup/?code=001.01.01.H99-260302-0001" in (
        pdf.squeezed
    )
    office, applicant = pdf.page_texts
    assert "Liên 1: Lưu tại Bộ phận một cửa" in office
    assert "Liên 2: Giao người nộp hồ sơ" in applicant
    # The lookup secret is printed for the citizen only.
    assert dossier.lookup_secret in applicant and dossier.lookup_secret not in office


def test_supplement_mau02_during_processing_lists_the_items_and_the_contact(build):
    dossier = build.supplement_in_processing()
    pdf = read_pdf(form_render_pdf(dossier, "02"))
    assert pdf.pages == [A5]
    assert_official(
        pdf,
        "CÔNG AN XÃ AN HÒA",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Số: {dossier.code}/HDHS",
        "An Hòa, ngày 03 tháng 3 năm 2026",
        "Ông/Bà: Nguyễn Văn An",
        "1 Giấy tờ chứng minh chỗ ở hợp pháp Hợp đồng thuê nhà có công chứng 01",
        "Lý do: Hợp đồng thuê nhà chưa được công chứng, chứng thực.",
        "trước ngày 18 tháng 3 năm 2026",
        "liên hệ với công chức Bùi Văn Nam",
        "NGƯỜI HƯỚNG DẪN",
    )


def test_supplement_mau02_at_reception_has_no_code_yet(build):
    dossier = build.supplement_at_reception()
    assert dossier.code is None
    pdf = read_pdf(form_render_pdf(dossier, "02"))
    assert_official(
        pdf,
        *HEADER,
        "Số: ……/HDHS",
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        "liên hệ với công chức Nguyễn Thị Lan",
    )


def test_refusal_mau03_at_reception(build):
    dossier = build.refused()
    pdf = read_pdf(form_render_pdf(dossier, "03"))
    assert pdf.pages == [A5]
    assert_official(
        pdf,
        *HEADER,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "thông báo không tiếp nhận, giải quyết hồ sơ này",
        "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan (Luật Cư trú 2020, Điều 22).",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Lan",
    )


def test_refusal_mau03_after_appraisal_is_signed_by_the_agency(build):
    dossier = build.rejected()
    pdf = read_pdf(form_render_pdf(dossier, "03"))
    assert_official(
        pdf,
        "CÔNG AN XÃ AN HÒA",
        dossier.code,
        "Công an xã An Hòa thông báo không giải quyết hồ sơ này",
        "Chỗ ở không đủ diện tích tối thiểu theo Điều 20 Luật Cư trú.",
        "THỦ TRƯỞNG CƠ QUAN",
        "Ngô Thanh Sơn",
    )


def test_apology_mau04_gives_the_reason_and_both_due_times(build):
    dossier = build.extended()
    pdf = read_pdf(form_render_pdf(dossier, "04"))
    assert pdf.pages == [A5]
    assert_official(
        pdf,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "An Hòa, ngày 09 tháng 3 năm 2026",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        dossier.code,
        "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 11 tháng 3 năm 2026",
        "Lý do: Cần xác minh thêm thông tin về chỗ ở hợp pháp tại địa phương.",
        "trân trọng xin lỗi Ông/Bà",
        "17 giờ 30 phút, ngày 13 tháng 3 năm 2026",
        "Nơi nhận:",
        "Ngô Thanh Sơn",
    )


def test_stop_notice_mau05_after_a_withdrawal(build):
    dossier = build.stopped()
    pdf = read_pdf(form_render_pdf(dossier, "05"))
    assert pdf.pages == [A5]
    assert_official(
        pdf,
        *HEADER,
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Thủ tục hành chính: Đăng ký thường trú",
        "Ngày 03 tháng 3 năm 2026, Ông/Bà có yêu cầu dừng giải quyết (rút) hồ sơ "
        "trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
        "Lý do dừng giải quyết: Công dân rút hồ sơ",
        "chưa ban hành quyết định hoặc kết quả",
        "dừng giải quyết kể từ 10 giờ 00 phút, ngày 03 tháng 3 năm 2026",
        "pháp luật chuyên ngành",
    )


def test_control_sheet_mau06_lists_every_hand_over_and_the_return(build):
    dossier = build.returned()
    pdf = read_pdf(form_render_pdf(dossier, "06"))
    assert set(pdf.pages) == {A5}
    assert_official(
        pdf,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "(Kèm theo hồ sơ của: Nguyễn Văn An)",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Công an xã An Hòa",
        "1. Giao: Bộ phận TN&TKQ (TTPVHCC An Hòa) 2. Nhận: Công an xã An Hòa",
        "2. Nhận: Bùi Văn Nam",
        "1. Giao: Công an xã An Hòa 2. Nhận: Bộ phận TN&TKQ (TTPVHCC An Hòa)",
        "2. Nhận: Nguyễn Văn An 14 giờ 00 phút, ngày 05/03/2026",
        "Trước hạn",
        "Đúng hạn",
    )


def test_transfer_slip_gives_each_agency_its_work_and_deadline(build):
    dossier = build.inter_agency(progress=2)
    pdf = read_pdf(form_render_pdf(dossier, "transfer"))
    assert pdf.pages == [A5]
    assert_official(
        pdf,
        *HEADER,
        "PHIẾU CHUYỂN XỬ LÝ HỒ SƠ",
        dossier.code,
        "Kính gửi: UBND xã An Hòa; Công an xã An Hòa; Bảo hiểm xã hội tỉnh.",
        "Giai đoạn 1 1 UBND xã An Hòa (chủ trì) Đăng ký khai sinh",
        "Giai đoạn 2 (các cơ quan giải quyết đồng thời)",
        "Công an xã An Hòa Đăng ký thường trú Đang thực hiện 11:00 06/04/2026 11:00 07/04/2026",
        "Bảo hiểm xã hội tỉnh Cấp thẻ BHYT",
        "NGƯỜI CHUYỂN HỒ SƠ",
    )


def test_mau07_of_a_dossier_is_the_book_it_was_entered_in(build):
    dossier = build.received()
    pdf = read_pdf(form_render_pdf(dossier, "07"))
    assert pdf.pages == [A4_LANDSCAPE]
    assert_official(pdf, "SỔ THEO DÕI HỒ SƠ", "Năm 2026", "Trang 1/1")
    assert dossier.code in pdf.squeezed


@pytest.mark.parametrize(
    ("state", "kinds"),
    [
        ("submitted", ["01", "02", "03", "04", "05", "06", "07", "transfer"]),
        ("received", ["02", "03", "04", "05", "transfer"]),
        ("refused", ["01", "04", "05", "06", "07"]),
    ],
)
def test_forms_that_do_not_apply_are_refused_with_a_vietnamese_reason(
    build, state, kinds
):
    dossier = {
        "submitted": lambda: build.submit(receive=False),
        "received": build.received,
        "refused": build.refused,
    }[state]()
    for kind in kinds:
        with pytest.raises(FormNotAvailable) as error:
            form_render_pdf(dossier, kind)
        assert error.value.code == "form_not_available"
        assert error.value.status == 409
        assert str(error.value.message).startswith("Không in được")
        assert error.value.extra == {"kind": kind}


def test_an_unknown_form_is_a_validation_error(build):
    with pytest.raises(ValidationFailed) as error:
        form_render_pdf(build.received(), "08")
    assert error.value.code == "form_kind_unknown"


def test_staff_print_only_dossiers_they_may_see_and_the_read_is_logged(build, province):
    dossier = build.received()
    with pytest.raises(NotFound):
        form_render_pdf(dossier, "01", request_user=province.users["reception_b"])
    assert not DataAccessLog.objects.exists()
    officer = province.users["reception_a"]
    assert form_render_pdf(dossier, "01", request_user=officer).startswith(b"%PDF")
    log = DataAccessLog.objects.get()
    assert (log.actor, log.dossier_code, log.subject_id_number) == (
        officer,
        dossier.code,
        "001099012345",
    )
    assert "Giấy tiếp nhận hồ sơ" in log.what
