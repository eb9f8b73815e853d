"""
Online dossiers from the National Public Service Portal (Decree 118/2025
Art.15(3): online submission happens only there).

The portal posts a dossier to ``POST /api/v1/portal/dossiers`` with its token; the
API calls ``portal_dossier_from_payload`` to turn the portal's fields into the
arguments of ``dossier_create`` and adds ``actor=PORTAL``
(``portal_dossier_create`` does both). The payload, in the portal's names::

    {
      "MaHoSo": "G22.99-260302-000123",   # the portal's id: required, idempotent
      "MaTTHC": "1.004222",                # procedure code: required
      "NoiNopHoSo": "001.01.01.H99",       # receiving centre's electronic id: required
      "DonViXuLy": "001.02.00.H99",        # competent agency's electronic id: required
      "NgayNopHoSo": "20260302090000",     # yyyyMMddHHmmss local; default: now
      "TrichYeuHoSo": "…",
      "LoaiDoiTuong": 1,                   # 1 citizen, 2 business, 3 agency, 4 organisation
      "ChuHoSo": "Nguyễn Văn An",
      "SoGiayToChuHoSo": "001099012345",
      "NgaySinh": "19900215",              # assumption: yyyyMMdd or yyyy-MM-dd
      "DiaChiChuHoSo": "…",                # assumption
      "Email": "…", "SoDienThoai": "…",
      "TaiKhoanDuocXacThucVoiVNeID": 1,
      "HinhThucNhanKetQua": 3,             # assumption: 1 counter, 2 post, 3 online (default)
      "DiaChiNhanKetQua": "…",
      "TaiLieuNop": [{"MaThanhPhanHoSo": "…", "TenThanhPhanHoSo": "…",
                      "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0,
                      "MaKetQuaThayThe": "", "LoaiBan": 2, "SoTrang": 1}]
    }

A component is matched to the catalog by ``MaThanhPhanHoSo`` (the catalog's
component code), else by its name; an unmatched one is kept as an extra
document.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import Channel, CopyType
from motcua.catalog.models import ProcedureVersion
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import ValidationFailed
from motcua.core.text import fold
from motcua.dossiers.constants import (
    APPLICANT_PORTAL_CODES,
    ComponentSource,
    ReturnMethod,
)
from motcua.dossiers.services.creation import earliest_submission
from motcua.units.models import Agency, AgencyCode

from .payload import parse_portal_time

APPLICANT_TYPES = {code: kind for kind, code in APPLICANT_PORTAL_CODES.items()}
RETURN_METHODS = {1: ReturnMethod.COUNTER, 2: ReturnMethod.POST, 3: ReturnMethod.ONLINE}
COPY_TYPES = {0: CopyType.ORIGINAL, 1: CopyType.COPY, 2: CopyType.ELECTRONIC}

# Our applicant fields (as dossier_create reports errors) → the portal's names,
# so that the API can answer in the caller's vocabulary.
APPLICANT_FIELDS = {
    "type": "LoaiDoiTuong",
    "name": "ChuHoSo",
    "id_number": "SoGiayToChuHoSo",
    "birth_date": "NgaySinh",
    "address": "DiaChiChuHoSo",
    "phone": "SoDienThoai",
    "email": "Email",
}

# Submission times are the portal's; a small skew between clocks is tolerated.
CLOCK_SKEW = timedelta(minutes=5)


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return "" if value is None else str(value).strip()


def _int(value: Any, default: int | None = None) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _agency_by_code(code: str, day: date) -> Agency | None:
    codes = AgencyCode.objects.filter(code=code).select_related("agency")
    valid = codes.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
    ).first()
    found = valid or codes.order_by("-valid_from").first()
    return found.agency if found else None


def _birth_date(value: str) -> str | None:
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _components(
    version: ProcedureVersion, items: Any, errors: dict[str, str]
) -> list[dict[str, Any]]:
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        errors["TaiLieuNop"] = str(_("Danh sách tài liệu nộp không hợp lệ."))
        return []
    catalog = list(version.components.all())
    by_code = {c.code: c for c in catalog if c.code}
    by_name = {fold(c.name): c for c in catalog}
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"TaiLieuNop[{index}]"] = str(_("Tài liệu không hợp lệ."))
            continue
        name = _text(item, "TenThanhPhanHoSo") or _text(item, "TenTepDinhKem")
        component = by_code.get(_text(item, "MaThanhPhanHoSo")) or by_name.get(
            fold(name)
        )
        if component is None and not name:
            errors[f"TaiLieuNop[{index}]"] = str(_("Tài liệu phải có tên."))
            continue
        if _int(item.get("DuocLayTuKhoDMQG"), 0):
            source = ComponentSource.NATIONAL_DATABASE
        elif _int(item.get("DuocTaiSuDung"), 0):
            source = ComponentSource.REUSED
        else:
            source = ComponentSource.UPLOADED
        row: dict[str, Any] = {
            "source": source,
            "is_digitized": True,
            "reuse_reference": _text(item, "MaKetQuaThayThe"),
            "page_count": _int(item.get("SoTrang")),
        }
        if component is not None:
            row["component"] = component.pk
        else:
            row["name"] = name
        copy_code = _int(item.get("LoaiBan"))
        if copy_code in COPY_TYPES:
            row["copy_type"] = COPY_TYPES[copy_code]
        rows.append(row)
    return rows


def portal_dossier_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """
    Return the keyword arguments of ``dossier_create`` (all but ``actor``)
    for an online dossier the portal sent.

    Raise ValidationFailed (code ``portal_payload_invalid``) listing every
    field error, in the portal's field names, without touching the database
    beyond lookups. The applicant's own rules are checked by dossier_create.
    """
    if not isinstance(payload, dict):
        raise ValidationFailed(
            _("Dữ liệu hồ sơ không hợp lệ."), code="portal_payload_invalid"
        )
    errors: dict[str, str] = {}
    portal_id = _text(payload, "MaHoSo")
    if not portal_id:
        errors["MaHoSo"] = str(_("Thiếu mã hồ sơ trên Cổng."))
    elif len(portal_id) > 64:
        errors["MaHoSo"] = str(_("Mã hồ sơ quá dài."))
    now = timezone.now()
    submitted_at: datetime | None = None
    if payload.get("NgayNopHoSo"):
        try:
            submitted_at = parse_portal_time(payload["NgayNopHoSo"])
        except ValueError:
            errors["NgayNopHoSo"] = str(_("Ngày nộp phải có dạng yyyyMMddHHmmss."))
        else:
            if submitted_at > now + CLOCK_SKEW:
                errors["NgayNopHoSo"] = str(_("Ngày nộp không thể ở tương lai."))
            elif submitted_at < earliest_submission(now):
                # dossier_create refuses it too; said here in the portal's name.
                errors["NgayNopHoSo"] = str(
                    _("Ngày nộp không thể trước đây quá một năm.")
                )
    day = (submitted_at or now).astimezone(LOCAL_TZ).date()

    version = None
    procedure_code = _text(payload, "MaTTHC")
    if not procedure_code:
        errors["MaTTHC"] = str(_("Thiếu mã thủ tục hành chính."))
    else:
        version = (
            ProcedureVersion.objects.published()
            .filter(procedure__code=procedure_code)
            .select_related("procedure")
            .first()
        )
        if version is None:
            errors["MaTTHC"] = str(_("Thủ tục không có hoặc chưa công bố trong tỉnh."))
    agencies: dict[str, Agency | None] = {}
    for key, label in (
        ("NoiNopHoSo", _("Nơi nộp hồ sơ")),
        ("DonViXuLy", _("Đơn vị xử lý")),
    ):
        code = _text(payload, key)
        agencies[key] = _agency_by_code(code, day) if code else None
        if agencies[key] is None:
            errors[key] = str(
                _("%(label)s: không có mã định danh này.") % {"label": label}
                if code
                else _("%(label)s: thiếu mã định danh.") % {"label": label}
            )
    applicant_type = APPLICANT_TYPES.get(_int(payload.get("LoaiDoiTuong"), 1) or 0)
    if applicant_type is None:
        errors["LoaiDoiTuong"] = str(_("Loại đối tượng phải từ 1 đến 4."))
    return_method = RETURN_METHODS.get(_int(payload.get("HinhThucNhanKetQua"), 3) or 0)
    if return_method is None:
        errors["HinhThucNhanKetQua"] = str(_("Hình thức nhận kết quả không hợp lệ."))
    birth = _text(payload, "NgaySinh")
    birth_date = _birth_date(birth) if birth else None
    if birth and birth_date is None:
        errors["NgaySinh"] = str(_("Ngày sinh không hợp lệ."))
    components = (
        _components(version, payload.get("TaiLieuNop"), errors) if version else []
    )
    if errors:
        raise ValidationFailed(
            _("Dữ liệu hồ sơ từ Cổng Dịch vụ công quốc gia chưa hợp lệ."),
            code="portal_payload_invalid",
            extra={"fields": errors},
        )
    return {
        "procedure_version": version,
        "channel": Channel.ONLINE,
        "receiving_centre": agencies["NoiNopHoSo"],
        "competent_agency": agencies["DonViXuLy"],
        "portal_id": portal_id,
        "submitted_at": submitted_at,
        "summary": _text(payload, "TrichYeuHoSo")[:500],
        "applicant": {
            "type": applicant_type,
            "name": _text(payload, "ChuHoSo"),
            "id_number": _text(payload, "SoGiayToChuHoSo"),
            "birth_date": birth_date,
            "address": _text(payload, "DiaChiChuHoSo"),
            "phone": _text(payload, "SoDienThoai"),
            "email": _text(payload, "Email"),
            "identity_verified": bool(
                _int(payload.get("TaiKhoanDuocXacThucVoiVNeID"), 0)
            ),
        },
        "components": components,
        "return_method": return_method,
        "return_address": _text(payload, "DiaChiNhanKetQua"),
    }


def portal_dossier_create(payload: dict[str, Any]):
    """
    Create (or, for a portal id already known, return) the online dossier the
    portal sent: ``portal_dossier_from_payload`` then ``dossier_create`` with
    the PORTAL actor.
    """
    from motcua.dossiers.access import PORTAL
    from motcua.dossiers.services import dossier_create

    return dossier_create(**portal_dossier_from_payload(payload), actor=PORTAL)
