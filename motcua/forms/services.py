"""
Render the official forms of a dossier, and the tracking book of a centre.

The bytes returned are plain WeasyPrint PDFs: the documents app signs them
later (pyHanko, PAdES); nothing here signs or stores them.
"""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.audit.models import AccessPurpose
from motcua.audit.services import access_record
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.dossiers.models import Dossier
from motcua.units.models import Agency

from . import context as contexts
from .registry import FORM_KINDS, FormKind, form_kind
from .rendering import render_pdf
from .selectors import BookRow, tracking_book_rows

TRACKING_BOOK = FORM_KINDS["07"]


class FormNotAvailable(DomainError):
    code = "form_not_available"
    status = 409
    default_message = gettext_lazy(
        "Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại."
    )


def _kind(code: str) -> FormKind:
    kind = form_kind(code)
    if kind is None:
        raise ValidationFailed(
            _("Không có biểu mẫu “%(kind)s”; chọn một trong: %(kinds)s.")
            % {"kind": code, "kinds": ", ".join(FORM_KINDS)},
            code="form_kind_unknown",
        )
    return kind


def _check_available(dossier: Dossier, kind: FormKind) -> None:
    reason = kind.unavailable_reason(dossier)
    if reason is not None:
        raise FormNotAvailable(
            _("Không in được %(form)s: %(reason)s")
            % {"form": kind.title, "reason": reason},
            extra={"kind": kind.code},
        )


def _check_visible(dossier: Dossier, user: Any) -> None:
    if not Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists():
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def form_context(dossier: Dossier, kind: str) -> dict[str, Any]:
    """
    Return the template context of form ``kind`` for ``dossier``.

    Raise ValidationFailed for an unknown kind and FormNotAvailable when the
    form does not apply to the dossier now.
    """
    form = _kind(kind)
    _check_available(dossier, form)
    if form.code == TRACKING_BOOK.code and dossier.book_year is not None:
        centre, year = dossier.receiving_centre, dossier.book_year
        return contexts.tracking_book_context(
            form, centre, year, tracking_book_rows(centre=centre, year=year)
        )
    return contexts.build_context(form, dossier)


def form_render_pdf(dossier: Dossier, kind: str, *, request_user: Any = None) -> bytes:
    """
    Return form ``kind`` ("01"…"07", "transfer") of ``dossier`` as PDF bytes.

    With ``request_user``, the user must be allowed to see the dossier (else
    NotFound, as for a missing dossier) and the read of the applicant's data
    is logged. Mẫu 07 of a dossier is the tracking book it was entered in.
    Raise FormNotAvailable (code "form_not_available") when the form does not
    apply to the dossier.
    """
    if request_user is not None:
        _check_visible(dossier, request_user)
    context = form_context(dossier, kind)
    pdf = render_pdf(context["form"].template, context)
    if request_user is not None:
        access_record(
            actor=request_user,
            subject_id_number=dossier.applicant_id_number,
            what=f"In {context['form'].title}"[:255],
            purpose=AccessPurpose.PROCESSING,
            dossier=dossier,
        )
    return pdf


def tracking_book_pdf(centre: Agency, year: int) -> bytes:
    """Return the tracking book (Mẫu 07) of ``centre`` for ``year`` as PDF, A4 landscape."""
    rows = tracking_book_rows(centre=centre, year=year)
    context = contexts.tracking_book_context(TRACKING_BOOK, centre, year, rows)
    return render_pdf(TRACKING_BOOK.template, context)


BOOK_COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Tên thủ tục hành chính", 36),
    ("Số lượng hồ sơ (bộ)", 9),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 32),
    ("Cơ quan chủ trì giải quyết", 26),
    ("Nhận hồ sơ", 17),
    ("Hẹn trả kết quả", 17),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 17),
    ("Nhận kết quả từ cơ quan giải quyết", 17),
    ("Trả kết quả cho cá nhân, tổ chức", 17),
    ("Ký nhận", 12),
    ("Ghi chú", 24),
)
BOOK_HEADER_ROW = 4


def _excel_time(value):
    # Excel has no time zones: write the local wall-clock time.
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value else None


def _book_values(row: BookRow) -> list[Any]:
    return [
        row.sequence,
        row.code,
        row.procedure,
        row.paper_sets,
        row.applicant,
        row.address_phone,
        row.lead_agency,
        _excel_time(row.received_at),
        _excel_time(row.due_at),
        _excel_time(row.sent_at),
        _excel_time(row.result_received_at),
        _excel_time(row.returned_at),
        "",
        row.note,
    ]


def tracking_book_xlsx(centre: Agency, year: int) -> bytes:
    """
    Return the same tracking book as an Excel workbook: title lines, then one
    header row (row 4) and one row per entry, times as real date-times.
    """
    rows = tracking_book_rows(centre=centre, year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Sổ theo dõi {year}"
    last = get_column_letter(len(BOOK_COLUMNS))
    sheet["A1"] = centre.name.upper()
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = f"SỔ THEO DÕI HỒ SƠ NĂM {year}"
    sheet["A2"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, (title, width) in enumerate(BOOK_COLUMNS, start=1):
        cell = sheet.cell(row=BOOK_HEADER_ROW, column=index, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        cell.border = border
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(_book_values(row), start=1):
            cell = sheet.cell(row=BOOK_HEADER_ROW + offset, column=index, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if index in range(8, 13):
                cell.number_format = "hh:mm dd/mm/yyyy"
    sheet.freeze_panes = sheet.cell(row=BOOK_HEADER_ROW + 1, column=3)
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{BOOK_HEADER_ROW}:{BOOK_HEADER_ROW}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
