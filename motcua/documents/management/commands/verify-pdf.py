"""
Verify the signatures of a PDF: exit 0 when every signature is intact and
chains to a trusted root, 1 otherwise, with the reason on stdout.
"""

import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from motcua.documents.signing import trust_roots
from motcua.documents.verification import pdf_verify


class Command(BaseCommand):
    help = (
        "Verify the signatures of a PDF against the trusted roots "
        "(MOTCUA_TRUST_ROOTS, and the demo root when demo plugins are on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the signed PDF")
        parser.add_argument(
            "--trust-root",
            action="append",
            default=[],
            metavar="PEM",
            help="a trusted root certificate (PEM or DER); may be repeated",
        )
        parser.add_argument(
            "--only-given-roots",
            action="store_true",
            help="trust only the --trust-root files, not the configured ones",
        )

    def handle(self, *args, file, trust_root, only_given_roots, **options):
        # pyHanko logs path-building failures with tracebacks; the report says it.
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
        path = Path(file)
        try:
            data = path.read_bytes()
            roots = trust_roots(trust_root, include_configured=not only_given_roots)
        except OSError as error:
            self.stdout.write(f"KHÔNG HỢP LỆ: không đọc được tệp ({error}).")
            sys.exit(1)
        report = pdf_verify(data, trust_roots=roots)
        for index, check in enumerate(report.signatures, start=1):
            when = f"{check.signed_at:%Y-%m-%d %H:%M:%S %z}" if check.signed_at else "?"
            state = "OK" if check.ok else "LỖI"
            self.stdout.write(
                f"[{state}] chữ ký {index} “{check.field_name}”: {check.signer}, {when}; "
                f"toàn vẹn={'có' if check.intact else 'không'}, "
                f"hợp lệ={'có' if check.valid else 'không'}, "
                f"tin cậy={'có' if check.trusted else 'không'}"
            )
        code = self._document_code(report)
        if code:
            self.stdout.write(f"Mã số giấy tờ: {code}")
        if report.ok:
            self.stdout.write(f"HỢP LỆ: {report.reason}")
            return
        self.stdout.write(f"KHÔNG HỢP LỆ: {report.reason}")
        sys.exit(1)

    def _document_code(self, report) -> str:
        # The database is optional here: a PDF can be checked on any machine.
        try:
            from motcua.documents.selectors import _document_for

            document = _document_for(report)
        except DatabaseError:
            return ""
        if document is None:
            return ""
        if document.superseded_by is not None:
            return f"{document.code} (đã bị thay thế bởi {document.superseded_by.code})"
        return document.code
