"""
The national portal's view of a dossier: our data in its field names.

Field names follow the payload observed in a provincial system's sync module
(legal-spec §3.4, tag [I]); the authoritative dictionary of Circular
4/2025/TT-VPCP was not available. Codes we had to choose are marked
"assumption" and gathered here, so that a correction touches one file.
Dates are ``yyyyMMddHHmmss`` in local time (Asia/Ho_Chi_Minh).
"""

from datetime import datetime
from typing import Any

from motcua.accounts.models import StaffMembership
from motcua.catalog.constants import (
    CHANNEL_PORTAL_CODES,
    Channel,
    CopyType,
    FeeKind,
    FeeStage,
)
from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import (
    APPLICANT_PORTAL_CODES,
    PORTAL_STATUS_CODES,
    ApplicantType,
    ComponentSource,
    DossierAction,
    DossierStatus,
    ResultKind,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.models import SyncKind

PORTAL_TIME_FORMAT = "%Y%m%d%H%M%S"

# The portal's own id of a dossier it sent us (assumption: the field name).
PORTAL_ID_FIELD = "MaHoSoCongDVCQG"

# LoaiBan: 0 original, 1 copy, 2 electronic (legal-spec §3.4).
COPY_TYPE_CODES: dict[str, int] = {
    CopyType.ORIGINAL: 0,
    CopyType.PRESENTED: 0,
    CopyType.CERTIFIED_COPY: 1,
    CopyType.COPY: 1,
    CopyType.ELECTRONIC: 2,
}
# HinhThucThu: 1 at reception, 2 at supplement, 4 at return (legal-spec §3.4).
FEE_STAGE_CODES: dict[str, int] = {
    FeeStage.RECEPTION: 1,
    FeeStage.SUPPLEMENT: 2,
    FeeStage.RETURN: 4,
}
# LoaiPhiLePhi: assumption, 1 fee (phí), 2 charge (lệ phí).
FEE_KIND_CODES: dict[str, int] = {FeeKind.FEE: 1, FeeKind.CHARGE: 2}
# DinhDanhCHS.LoaiDinhDanh: assumption, 1 personal id number, 2 enterprise or
# tax code, 3 other organisation code.
ID_KIND_CODES: dict[str, int] = {
    ApplicantType.PERSON: 1,
    ApplicantType.BUSINESS: 2,
    ApplicantType.AGENCY: 3,
    ApplicantType.ORGANISATION: 3,
}

# Events that carry a result (or a decision) rather than a plain status.
RESULT_ACTIONS = frozenset(
    {
        DossierAction.RESOLVE,
        DossierAction.REJECT,
        DossierAction.RETURN_RESULT,
        DossierAction.CORRECT_RESULT,
    }
)
CREATING_ACTIONS = frozenset({DossierAction.SUBMIT, DossierAction.SUBMIT_ONLINE})


def portal_time(moment: datetime | None) -> str | None:
    """Return ``moment`` as yyyyMMddHHmmss in local time, or None."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).strftime(PORTAL_TIME_FORMAT)


def parse_portal_time(value: str) -> datetime:
    """Parse yyyyMMddHHmmss (local time) into an aware datetime; ValueError if bad."""
    value = str(value).strip()
    if len(value) != 14 or not value.isdigit():
        raise ValueError(f"{value!r} is not yyyyMMddHHmmss.")
    return datetime.strptime(value, PORTAL_TIME_FORMAT).replace(tzinfo=LOCAL_TZ)


def portal_code_of(dossier: Dossier) -> str:
    """
    Return the MaHoSo the portal knows the dossier by: our code once issued
    (Decree 118 Art.28), before that the portal's own id of an online dossier.
    """
    return dossier.code or dossier.portal_id or ""


def is_synced(dossier: Dossier) -> bool:
    """Return True for dossiers the portal must hear about: online or received."""
    return dossier.channel == "online" or dossier.received_at is not None


def sync_kind(event: DossierEvent) -> SyncKind:
    """Return whether ``event`` is a status, progress or result update."""
    if event.action in RESULT_ACTIONS:
        return SyncKind.RESULT
    if event.action in CREATING_ACTIONS or event.from_status != event.to_status:
        return SyncKind.STATUS
    return SyncKind.PROGRESS


def _agency_code(agency, day) -> str:
    try:
        return agency.code_on(day)
    except LookupError:
        return ""


def _flag(value: bool) -> int:
    return 1 if value else 0


def _titles(events: list[DossierEvent]) -> dict[tuple[int, int | None], str]:
    """Return the job title (ChucDanh) of each (actor, agency) in ``events``."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    titles: dict[tuple[int, int | None], str] = {}
    memberships = StaffMembership.objects.filter(user_id__in=actor_ids).order_by(
        "-is_active", "-valid_from"
    )
    for m in memberships:
        label = m.title or str(m.get_role_display())
        titles.setdefault((m.user_id, m.agency_id), label)
        titles.setdefault((m.user_id, None), label)
    return titles


def _progress(dossier: Dossier, code: str) -> list[dict[str, Any]]:
    events = list(
        dossier.events.filter(is_public=True)
        .select_related("agency", "step")
        .order_by("created_at", "pk")
    )
    titles = _titles(events)
    items = []
    for event in events:
        step = event.step
        content = str(DossierAction(event.action).label)
        if event.note:
            content = f"{content}: {event.note}"
        items.append(
            {
                "MaHoSo": code,
                "NguoiXuLy": event.actor_label,
                "ChucDanh": titles.get(
                    (event.actor_id, event.agency_id),
                    titles.get((event.actor_id, None), ""),
                )
                if event.actor_id
                else "",
                "ThoiDiemXuLy": portal_time(event.created_at),
                "PhongBanXuLy": event.agency.name if event.agency else "",
                "NoiDungXuLy": content,
                "TrangThai": PORTAL_STATUS_CODES[event.to_status],
                "NgayBatDau": portal_time(
                    step.started_at if step and step.started_at else event.created_at
                ),
                "NgayKetThucTheoQuyDinh": portal_time(
                    step.due_at if step and step.due_at else event.due_at
                ),
            }
        )
    return items


def _documents(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "TepDinhKemId": str(c.pk),
            "TenTepDinhKem": c.name,
            "MaThanhPhanHoSo": c.component.code if c.component else "",
            "DuongDanTaiTepTin": "",
            "DuocSoHoa": _flag(c.is_digitized),
            "DuocTaiSuDung": _flag(c.is_reused),
            "DuocLayTuKhoDMQG": _flag(c.source == ComponentSource.NATIONAL_DATABASE),
            "MaKetQuaThayThe": c.reuse_reference,
            "LoaiBan": COPY_TYPE_CODES.get(c.copy_type, 0),
        }
        for c in dossier.components.select_related("component").order_by("order", "pk")
    ]


def _fees(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "TenPhiLePhi": fee.name,
            "MaPhiLePhi": fee.code,
            "HinhThucThu": FEE_STAGE_CODES.get(fee.stage, 1),
            "Gia": int(fee.amount),
            "LoaiPhiLePhi": FEE_KIND_CODES.get(
                fee.fee_item.kind if fee.fee_item else FeeKind.CHARGE, 2
            ),
        }
        for fee in dossier.fees.select_related("fee_item").order_by("pk")
    ]


def _supplements(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "NguoiYeuCauBoSung": str(r.requested_by) if r.requested_by else "",
            "NoiDungBoSung": r.reason,
            "NgayBoSung": portal_time(r.requested_at),
            "NgayTiepNhanBoSung": portal_time(r.supplied_at),
            "NgayHenTraTruoc": portal_time(r.previous_due_at),
            "NgayHenTraMoi": portal_time(r.new_due_at),
        }
        for r in dossier.supplement_requests.select_related("requested_by").order_by(
            "requested_at", "pk"
        )
    ]


def _results(dossier: Dossier) -> list[dict[str, Any]]:
    # TODO(documents): list the signed e-results once the documents app has
    # them; until then, the result types the approved dossier produces.
    if dossier.result_kind != ResultKind.APPROVED or dossier.status not in (
        DossierStatus.RESOLVED,
        DossierStatus.RETURNED,
    ):
        return []
    return [
        {
            "TenGiayTo": rt.name,
            "MaThanhPhanHoSo": "",
            "GiayToId": f"{dossier.pk}-{rt.code}",
            "DuongDanTepTinKetQua": "",
            # Decree 118 Art.22(4): applicant's identifier + result-type code.
            "MaGiayToKetQua": f"{dossier.applicant_id_number}-{rt.code}",
        }
        for rt in dossier.procedure_version.result_types.order_by("pk")
    ]


def portal_payload(dossier: Dossier) -> dict[str, Any]:
    """Return the portal's full view of ``dossier`` as it stands now."""
    version = dossier.procedure_version
    procedure = version.procedure
    code = portal_code_of(dossier)
    day = (dossier.received_at or dossier.submitted_at).astimezone(LOCAL_TZ).date()
    documents = _documents(dossier)
    payload: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": procedure.sector.code if procedure.sector else "",
        "KenhThucHien": CHANNEL_PORTAL_CODES[Channel(dossier.channel)],
        "TrichYeuHoSo": dossier.summary,
        "DonViXuLy": _agency_code(dossier.competent_agency, day),
        "NoiNopHoSo": _agency_code(dossier.receiving_centre, day),
        "TrangThaiHoSo": PORTAL_STATUS_CODES[dossier.status],
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "LoaiDoiTuong": APPLICANT_PORTAL_CODES[ApplicantType(dossier.applicant_type)],
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "DinhDanhCHS": [
            {
                "LoaiDinhDanh": ID_KIND_CODES[dossier.applicant_type],
                "SoDinhDanh": dossier.applicant_id_number,
            }
        ]
        if dossier.applicant_id_number
        else [],
        "TaiKhoanDuocXacThucVoiVNeID": _flag(dossier.identity_verified),
        "NgayNopHoSo": portal_time(dossier.submitted_at),
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "NgayTra": portal_time(dossier.returned_at),
        "NgayKetThucXuLy": portal_time(
            dossier.finished_at
            if dossier.status in (DossierStatus.RESOLVED, DossierStatus.RETURNED)
            or dossier.stopped_at
            else None
        ),
        "NgayTuChoi": portal_time(
            dossier.refused_at
            or (
                dossier.resolved_at
                if dossier.result_kind == ResultKind.REFUSED
                else None
            )
        ),
        "HoSoCoThanhPhanSoHoa": _flag(any(d["DuocSoHoa"] for d in documents)),
        "TaiLieuNop": documents,
        "DanhSachLePhi": _fees(dossier),
        "DanhSachHoSoBoSung": _supplements(dossier),
        "QuaTrinhXuLy": _progress(dossier, code),
    }
    if dossier.portal_id:
        payload[PORTAL_ID_FIELD] = dossier.portal_id
    results = _results(dossier)
    if results:
        payload["DanhSachGiayToKetQua"] = results
    return payload
