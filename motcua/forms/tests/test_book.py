"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 07): rows, PDF and Excel."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.forms.selectors import tracking_book_rows
from motcua.forms.services import BOOK_COLUMNS, tracking_book_pdf, tracking_book_xlsx

from .conftest import at
from .pdf import A4_LANDSCAPE, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(build, province):
    """Four dossiers at centre A over the year, one at centre B, one refused."""
    dossiers = [
        build.returned(),
        build.received(when=at(2026, 3, 3, 8, 0)),
        build.extended(),
        build.received(when=at(2026, 6, 15, 14, 0), applicant={"name": "Lê Thị Hoa"}),
    ]
    build.received(centre=province.centre_b, actor=province.users["reception_b"])
    build.refused()
    return dossiers


def test_book_numbers_continue_through_the_year_per_centre(book, province):
    rows = tracking_book_rows(centre=province.centre_a, year=2026)
    assert [r.sequence for r in rows] == [1, 2, 3, 4]
    assert [r.code for r in rows] == [d.code for d in book]
    # The refused dossier was never entered; centre B keeps its own book.
    assert [
        r.sequence for r in tracking_book_rows(centre=province.centre_b, year=2026)
    ] == [1]
    assert tracking_book_rows(centre=province.centre_a, year=2025) == []


def test_book_row_of_a_returned_dossier(book, province):
    first = tracking_book_rows(centre=province.centre_a, year=2026)[0]
    assert first.procedure == "Đăng ký thường trú"
    assert first.applicant == "Nguyễn Văn An"
    assert first.address_phone == (
        "Số 12 đường Lê Lợi, xã An Hòa, tỉnh Lâm Hải Giang; ĐT: 0912345678"
    )
    assert first.lead_agency == "Công an xã An Hòa"
    assert (first.received_at, first.due_at) == (at(2026, 3, 2, 9), at(2026, 3, 11, 9))
    # Sent to the police at the end of the reception step, the result back at signing.
    assert first.sent_at == at(2026, 3, 2, 10)
    assert first.result_received_at == at(2026, 3, 5, 10)
    assert first.returned_at == at(2026, 3, 5, 14)
    third = tracking_book_rows(centre=province.centre_a, year=2026)[2]
    assert third.note == "Gia hạn đến 13/03/2026"


def test_book_rows_take_the_same_queries_however_long_the_book(
    book, province, django_assert_num_queries
):
    with django_assert_num_queries(3):
        tracking_book_rows(centre=province.centre_a, year=2026)


def test_book_pdf_is_a4_landscape_with_rows_in_number_order(book, province):
    pdf = read_pdf(tracking_book_pdf(province.centre_a, 2026))
    assert set(pdf.pages) == {A4_LANDSCAPE}
    for value in (
        "SỔ THEO DÕI HỒ SƠ",
        "Năm 2026",
        "Lê Thị Hoa",
        "Cơ quan chủ trì giải quyết",
    ):
        assert value in pdf.text
    positions = [pdf.squeezed.index(d.code) for d in book]
    assert positions == sorted(positions)


def test_an_empty_book_says_so(province):
    pdf = read_pdf(tracking_book_pdf(province.centre_a, 2026))
    assert "Chưa có hồ sơ nào được vào sổ trong năm 2026." in pdf.text


def test_book_excel_has_the_same_rows(book, province):
    workbook = load_workbook(BytesIO(tracking_book_xlsx(province.centre_a, 2026)))
    sheet = workbook.active
    assert sheet.title == "Sổ theo dõi 2026"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ NĂM 2026"
    header = [c.value for c in sheet[4]]
    assert header == [title for title, _width in BOOK_COLUMNS]
    rows = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[1]) for r in rows] == [(i + 1, d.code) for i, d in enumerate(book)]
    first = rows[0]
    assert first[2:7] == [
        "Đăng ký thường trú",
        1,
        "Nguyễn Văn An",
        "Số 12 đường Lê Lợi, xã An Hòa, tỉnh Lâm Hải Giang; ĐT: 0912345678",
        "Công an xã An Hòa",
    ]
    # Local wall-clock times, as Excel has no time zones.
    assert first[7] == at(2026, 3, 2, 9).replace(tzinfo=None)
    assert first[11] == at(2026, 3, 5, 14).replace(tzinfo=None)
    assert sheet.cell(row=5, column=8).number_format == "hh:mm dd/mm/yyyy"
