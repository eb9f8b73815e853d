"""Reads of the documents app: a dossier's files and results, the Kho, the
access log shown to citizens, and the verification of a signed document."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from motcua.audit.models import DataAccessLog
from motcua.dossiers.models import Dossier

from .models import DossierFile, ResultDocument, StoredFile, StoreEntry
from .signing import trust_roots
from .verification import VerificationReport, pdf_verify


@dataclass(frozen=True)
class AccessLogRow:
    staff_name: str
    unit: str
    accessed_at: datetime
    purpose: str
    what: str


def access_log_for_citizen(dossier: Dossier) -> list[AccessLogRow]:
    """
    Return who among the staff viewed or downloaded the personal data or files
    of ``dossier``, newest first: staff name, unit, time, purpose, what.
    For the public lookup page, behind the dossier's secret.
    """
    rows = (
        DataAccessLog.objects.filter(dossier_id=dossier.pk)
        .select_related("actor", "agency")
        .order_by("-accessed_at", "-pk")
    )
    return [
        AccessLogRow(
            staff_name=(
                (row.actor.full_name or row.actor.get_username())
                if row.actor is not None
                else "Hệ thống"
            ),
            unit=row.agency.name if row.agency is not None else "",
            accessed_at=row.accessed_at,
            purpose=str(row.get_purpose_display()),
            what=row.what,
        )
        for row in rows
    ]


def dossier_files(
    dossier: Dossier, *, current_only: bool = True
) -> QuerySet[DossierFile]:
    """Return the files of ``dossier`` (current ones by default), in order."""
    queryset = DossierFile.objects.filter(dossier=dossier).select_related(
        "file", "component", "store_entry"
    )
    if current_only:
        queryset = queryset.filter(is_current=True)
    return queryset.order_by("attached_at", "pk")


def dossier_results(dossier: Dossier) -> QuerySet[ResultDocument]:
    """Return the e-results of ``dossier``, current ones first."""
    return (
        ResultDocument.objects.filter(dossier=dossier)
        .select_related("file", "issuing_agency", "superseded_by")
        .order_by("superseded_at", "-signed_at")
    )


def result_get_by_code(code: str) -> ResultDocument | None:
    return (
        ResultDocument.objects.filter(code=code.strip())
        .select_related("file", "issuing_agency", "superseded_by")
        .first()
    )


def result_current(document: ResultDocument) -> ResultDocument:
    """Follow corrections to the document that replaces ``document`` today."""
    seen = {document.pk}
    while document.superseded_by_id is not None:
        document = ResultDocument.objects.select_related("superseded_by").get(
            pk=document.superseded_by_id
        )
        if document.pk in seen:  # pragma: no cover - a cycle cannot be built
            break
        seen.add(document.pk)
    return document


def store_entries_for(
    id_number: str, *, current_only: bool = True
) -> QuerySet[StoreEntry]:
    """Return the documents in ``id_number``'s personal data store."""
    queryset = StoreEntry.objects.filter(id_number=id_number).select_related(
        "result_document", "file"
    )
    if current_only:
        queryset = queryset.filter(is_current=True)
    return queryset


@dataclass
class DocumentVerification:
    report: VerificationReport
    document: ResultDocument | None
    current: ResultDocument | None

    @property
    def superseded(self) -> bool:
        return self.document is not None and not self.document.is_current


def _document_for(report: VerificationReport) -> ResultDocument | None:
    hashes = [report.sha256, *report.revision_hashes]
    files = {
        f.sha256: f.pk
        for f in StoredFile.objects.filter(sha256__in=hashes, signed=True)
    }
    for digest in hashes:
        if digest in files:
            document = (
                ResultDocument.objects.filter(file_id=files[digest])
                .select_related("issuing_agency", "superseded_by")
                .first()
            )
            if document is not None:
                return document
    return None


def document_verify(
    data: bytes, *, roots: Iterable | None = None
) -> DocumentVerification:
    """
    Verify the signed PDF ``data`` and find the e-result it is (by the hash of
    the file or of a signed revision), with the document replacing it if it
    was corrected.
    """
    report = pdf_verify(
        data, trust_roots=list(roots) if roots is not None else trust_roots()
    )
    document = _document_for(report)
    return DocumentVerification(
        report=report,
        document=document,
        current=result_current(document) if document is not None else None,
    )
