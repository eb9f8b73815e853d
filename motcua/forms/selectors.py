"""Reads for the forms: the rows of the tracking book (Sổ theo dõi hồ sơ, Mẫu 07)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from motcua.dossiers.constants import DossierStatus, HandOverKind
from motcua.dossiers.models import Dossier, Extension, HandOver
from motcua.units.models import Agency

from . import formatting as fmt


@dataclass(frozen=True, slots=True)
class BookRow:
    """One entry of the tracking book, in the columns of legal-spec §4.8."""

    sequence: int
    code: str
    procedure: str
    paper_sets: int
    applicant: str
    address_phone: str
    lead_agency: str
    received_at: datetime | None
    due_at: datetime | None
    sent_at: datetime | None
    result_received_at: datetime | None
    returned_at: datetime | None
    note: str

    @property
    def code_parts(self) -> tuple[str, str]:
        """The code as printed on two lines: agency id, then date and number."""
        head, dash, tail = self.code.partition("-")
        return head + dash, tail


def _note(dossier: Dossier, extension: Extension | None) -> str:
    notes = []
    if dossier.channel == "online":
        notes.append("Nộp trực tuyến")
    elif dossier.channel == "post":
        notes.append("Nộp qua bưu chính")
    if extension is not None:
        notes.append(f"Gia hạn đến {fmt.short_date(extension.new_due_at)}")
    if dossier.status == DossierStatus.NEEDS_SUPPLEMENT:
        notes.append("Đang chờ bổ sung")
    elif dossier.status == DossierStatus.STOPPED:
        notes.append("Dừng giải quyết")
    elif dossier.status == DossierStatus.WITHDRAWAL_REQUESTED:
        notes.append("Yêu cầu rút hồ sơ")
    if dossier.result_kind == "refused":
        notes.append("Từ chối giải quyết")
    if dossier.timeliness == "late":
        notes.append("Quá hạn")
    return "; ".join(notes)


def tracking_book_rows(*, centre: Agency, year: int) -> list[BookRow]:
    """
    Return the entries of ``centre``'s tracking book for ``year``, by number.

    The number is the dossier's ``book_sequence``: continuous within the
    year, never restarted (TT01/2018 Art.10; legal-spec §4.1). A dossier is
    "sent to the resolving agency" at the centre's first hand-over to another
    agency, and its result is "received from the agency" at the last
    hand-over from another agency back to the centre.
    """
    dossiers = (
        Dossier.objects.filter(
            receiving_centre=centre, book_year=year, book_sequence__isnull=False
        )
        .select_related("procedure_version", "competent_agency")
        .prefetch_related(
            Prefetch(
                "handovers",
                queryset=HandOver.objects.exclude(kind=HandOverKind.ASSIGN).order_by(
                    "handed_at", "pk"
                ),
            )
        )
        .order_by("book_sequence")
    )
    extensions = {
        e.dossier_id: e
        for e in Extension.objects.filter(
            dossier__receiving_centre=centre, dossier__book_year=year
        )
    }
    rows = []
    for dossier in dossiers:
        handovers = list(dossier.handovers.all())
        sent = next(
            (
                h.handed_at
                for h in handovers
                if h.from_agency_id == centre.pk
                and h.to_agency_id is not None
                and h.to_agency_id != centre.pk
            ),
            None,
        )
        back = [
            h.handed_at
            for h in handovers
            if h.to_agency_id == centre.pk and h.from_agency_id != centre.pk
        ]
        contact = "; ".join(
            p
            for p in (
                dossier.applicant_address,
                f"ĐT: {dossier.applicant_phone}" if dossier.applicant_phone else "",
            )
            if p
        )
        rows.append(
            BookRow(
                sequence=dossier.book_sequence or 0,
                code=dossier.code or "",
                procedure=dossier.procedure_version.name,
                paper_sets=dossier.paper_sets,
                applicant=dossier.applicant_name,
                address_phone=contact,
                lead_agency=dossier.competent_agency.name,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                sent_at=sent,
                result_received_at=back[-1] if back else None,
                returned_at=dossier.returned_at,
                note=_note(dossier, extensions.get(dossier.pk)),
            )
        )
    return rows
