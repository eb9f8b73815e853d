"""``motcua form-pdf CODE KIND -o FILE``."""

from io import StringIO

from django.core.management import CommandError, call_command

import pytest
from openpyxl import load_workbook

from .pdf import A4_LANDSCAPE, A5, read_pdf

pytestmark = pytest.mark.django_db


def form_pdf(*args):
    out = StringIO()
    call_command("form_pdf", *args, stdout=out)
    return out.getvalue()


def test_writes_the_form_and_says_what_it_wrote(build, tmp_path):
    dossier = build.received()
    target = tmp_path / "giay-hen.pdf"
    message = form_pdf(dossier.code, "1", "-o", str(target))
    assert read_pdf(target.read_bytes()).pages == [A5, A5]
    assert message.startswith(
        f"Đã ghi {target} (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, 2 trang,"
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["999.99.99.H99-260302-0001", "01"],
            "Không tìm thấy hồ sơ có mã 999.99.99.H99-260302-0001.",
        ),
        (
            ["{code}", "09"],
            "Không có biểu mẫu '09'; chọn một trong: 01, 02, 03, 04, 05, 06, 07, transfer.",
        ),
        (
            ["{code}", "04"],
            "Không in được Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết: Hồ sơ không có văn bản xin lỗi và đề nghị gia hạn.",
        ),
        (["{code}", "01", "--year", "2026"], None),
    ],
)
def test_errors_are_one_clear_line(build, tmp_path, args, error):
    dossier = build.received()
    args = [a.format(code=dossier.code) for a in args]
    target = tmp_path / "out.pdf"
    if error is None:
        form_pdf(*args, "-o", str(target))
        return
    with pytest.raises(CommandError) as raised:
        form_pdf(*args, "-o", str(target))
    assert str(raised.value) == error
    assert "\n" not in str(raised.value) and not target.exists()


def test_the_book_of_a_centre_as_pdf_or_excel(build, tmp_path):
    dossier = build.received()
    pdf = tmp_path / "so.pdf"
    form_pdf("001.01.01.H99", "07", "--year", "2026", "-o", str(pdf))
    assert read_pdf(pdf.read_bytes()).pages == [A4_LANDSCAPE]
    excel = tmp_path / "so.xlsx"
    form_pdf(dossier.code, "07", "-o", str(excel))
    sheet = load_workbook(excel).active
    assert sheet["B5"].value == dossier.code
    with pytest.raises(CommandError, match="không phải Trung tâm"):
        form_pdf("001.02.00.H99", "07", "-o", str(pdf))
    with pytest.raises(CommandError, match="Chỉ Sổ theo dõi hồ sơ"):
        form_pdf(dossier.code, "01", "-o", str(excel))
