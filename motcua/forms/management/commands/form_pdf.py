"""
``motcua form-pdf CODE KIND -o FILE``: write an official form of a dossier.

KIND is 01…07 or transfer. For 07 (the tracking book), CODE is a dossier code
(the book it was entered in) or a centre's electronic identifier with
``--year``; a FILE ending in .xlsx gets the Excel export of the book.
"""

import time
from io import BytesIO
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pypdf import PdfReader

from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.forms.registry import FORM_KINDS, form_kind
from motcua.forms.services import (
    form_render_pdf,
    tracking_book_pdf,
    tracking_book_xlsx,
)
from motcua.units.models import AgencyCode


class Command(BaseCommand):
    help = (
        "Write official form KIND (01…07, transfer) of the dossier CODE to FILE, "
        "e.g. motcua form-pdf 001.01.01.H99-260302-0001 01 -o giay-hen.pdf. For "
        "07, CODE may also be a centre's electronic id with --year, and a FILE "
        "ending in .xlsx gets the Excel export of the tracking book."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("kind", metavar="KIND", help=", ".join(FORM_KINDS))
        parser.add_argument("-o", "--output", required=True, metavar="FILE")
        parser.add_argument(
            "--year", type=int, help="year of the tracking book (07 of a centre)"
        )

    def handle(self, *args, code, kind, output, year, **options):
        form = form_kind(kind)
        if form is None:
            raise CommandError(
                f"Không có biểu mẫu {kind!r}; chọn một trong: {', '.join(FORM_KINDS)}."
            )
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {path.parent}.")
        started = time.perf_counter()
        try:
            data = self._render(code.strip(), form.code, path, year)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        elapsed = time.perf_counter() - started
        path.write_bytes(data)
        pages = ""
        if data.startswith(b"%PDF"):
            pages = f", {len(PdfReader(BytesIO(data)).pages)} trang"
        self.stdout.write(
            f"Đã ghi {path} ({form.title}{pages}, {len(data) / 1024:.0f} KB, "
            f"{elapsed:.2f} s)."
        )

    def _render(self, code: str, kind: str, path: Path, year: int | None) -> bytes:
        excel = path.suffix.lower() == ".xlsx"
        if excel and kind != "07":
            raise CommandError("Chỉ Sổ theo dõi hồ sơ (07) xuất được ra Excel.")
        dossier = (
            Dossier.objects.select_related(
                "procedure_version", "receiving_centre", "competent_agency"
            )
            .filter(code=code)
            .first()
        )
        if kind == "07" and (dossier is None or excel or year):
            centre, year = self._book(code, dossier, year)
            return (tracking_book_xlsx if excel else tracking_book_pdf)(centre, year)
        if dossier is None:
            raise CommandError(f"Không tìm thấy hồ sơ có mã {code}.")
        return form_render_pdf(dossier, kind)

    def _book(self, code: str, dossier: Dossier | None, year: int | None):
        if dossier is not None:
            if dossier.book_year is None:
                raise CommandError(f"Hồ sơ {code} chưa được vào Sổ theo dõi hồ sơ.")
            return dossier.receiving_centre, year or dossier.book_year
        row = AgencyCode.objects.select_related("agency").filter(code=code).first()
        if row is None:
            raise CommandError(f"Không tìm thấy hồ sơ hay Trung tâm có mã {code}.")
        if not row.agency.is_service_centre:
            raise CommandError(
                f"{row.agency.name} không phải Trung tâm tiếp nhận hồ sơ."
            )
        return row.agency, year or timezone.localdate().year
