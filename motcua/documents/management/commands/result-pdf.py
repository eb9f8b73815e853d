"""Write the signed e-result of a resolved dossier to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.documents.models import ResultDocument
from motcua.documents.services import stored_file_read
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Write the signed e-result of the dossier CODE (a dossier code) to FILE."

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help="the dossier code, e.g. 001.01.01.H99-260302-0001"
        )
        parser.add_argument("-o", "--output", required=True, help="the PDF to write")
        parser.add_argument(
            "--type",
            dest="result_type",
            default="",
            help="result-type code, if several",
        )

    def handle(self, *args, code, output, result_type, **options):
        dossier = Dossier.objects.filter(code=code.strip()).first()
        if dossier is None:
            raise CommandError(f"Không có hồ sơ mã {code}.")
        if dossier.status not in (DossierStatus.RESOLVED, DossierStatus.RETURNED):
            raise CommandError(
                f"Hồ sơ {code} chưa giải quyết xong ({dossier.get_status_display()})."
            )
        queryset = ResultDocument.objects.filter(
            dossier=dossier, superseded_at__isnull=True
        ).select_related("file")
        if result_type:
            queryset = queryset.filter(ma_loai_giay_to=result_type)
        documents = list(queryset)
        if not documents:
            raise CommandError(f"Hồ sơ {code} không có kết quả điện tử đã ký.")
        if len(documents) > 1:
            types = ", ".join(sorted(d.ma_loai_giay_to for d in documents))
            raise CommandError(f"Hồ sơ {code} có nhiều kết quả ({types}); chọn --type.")
        document = documents[0]
        Path(output).write_bytes(stored_file_read(document.file))
        self.stdout.write(f"{document.code} → {output}")
