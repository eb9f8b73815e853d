"""Create a dossier: at the counter, by post, or online from the national portal."""

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import Channel, VersionStatus
from motcua.catalog.models import ProcedureVersion
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.registry import configured_callables
from motcua.core.text import fold, normalize_name
from motcua.dossiers import deadlines
from motcua.dossiers.access import PORTAL, SystemActor, may_receive_at
from motcua.dossiers.constants import (
    ApplicantType,
    DossierAction,
    DossierStatus,
    ReturnMethod,
)
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.units.constants import AgencyKind
from motcua.units.models import AdministrativeUnit, Agency

from .engine import dossier_apply_action, record_event
from .handlers import component_rows, int_value

_PERSON_ID = re.compile(r"^\d{12}$")
_ORG_ID = re.compile(r"^\d{10}(-\d{3})?$|^\d{13}$")
_PHONE = re.compile(r"^\+?[\d .-]{8,15}$")
# A submission time given by the caller (the portal, a back-office import) may
# run a little ahead of our clock, never further; nor may it be more than a
# year old, which would be a typing or mapping error, not a dossier.
SUBMISSION_CLOCK_SKEW = timedelta(minutes=5)
SUBMISSION_MAX_AGE_YEARS = 1


def clean_applicant(data: dict[str, Any]) -> dict[str, Any]:
    """
    Validate and normalise the applicant's data; raise ValidationFailed with
    every field error at once. Pure: no database access.
    """
    errors: dict[str, str] = {}
    kind = data.get("type") or ApplicantType.PERSON
    if kind not in ApplicantType.values:
        errors["type"] = str(_("Loại đối tượng không hợp lệ."))
    name = normalize_name(data.get("name"))
    if not name:
        errors["name"] = str(_("Họ tên người nộp là bắt buộc."))
    id_number = re.sub(r"\s+", "", str(data.get("id_number") or ""))
    if kind == ApplicantType.PERSON and not _PERSON_ID.match(id_number):
        errors["id_number"] = str(_("Số định danh cá nhân phải gồm 12 chữ số."))
    elif kind == ApplicantType.BUSINESS and not _ORG_ID.match(id_number):
        errors["id_number"] = str(_("Mã số doanh nghiệp không hợp lệ."))
    phone = str(data.get("phone") or "").strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = str(_("Số điện thoại không hợp lệ."))
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = str(_("Địa chỉ thư điện tử không hợp lệ."))
    birth_date = data.get("birth_date")
    if isinstance(birth_date, str) and birth_date:
        try:
            birth_date = date.fromisoformat(birth_date)
        except ValueError:
            errors["birth_date"] = str(_("Ngày sinh không hợp lệ."))
    if isinstance(birth_date, date) and birth_date > timezone.localdate():
        errors["birth_date"] = str(_("Ngày sinh không thể ở tương lai."))
    unit = data.get("unit")
    unit_id = None
    if unit not in (None, ""):
        try:
            unit_id = int_value(unit, "unit")
        except ValidationFailed:
            errors["unit"] = str(_("Đơn vị hành chính không hợp lệ."))
    if errors:
        raise ValidationFailed(
            _("Thông tin người nộp chưa hợp lệ."),
            code="applicant_invalid",
            extra={"fields": errors},
        )
    return {
        "applicant_type": kind,
        "applicant_name": name,
        "applicant_search": fold(name),
        "applicant_id_number": id_number,
        "applicant_birth_date": birth_date or None,
        "applicant_address": normalize_name(data.get("address"))[:500],
        "applicant_unit_id": unit_id,
        "applicant_phone": phone,
        "applicant_email": email,
        "identity_verified": bool(data.get("identity_verified", False)),
        "representative_name": normalize_name(data.get("representative_name")),
        "representative_id_number": str(
            data.get("representative_id_number") or ""
        ).strip(),
        "representative_phone": str(data.get("representative_phone") or "").strip(),
    }


def earliest_submission(now: datetime) -> datetime:
    """Return the oldest submission time accepted at ``now``: a year before."""
    year = now.year - SUBMISSION_MAX_AGE_YEARS
    try:
        return now.replace(year=year)
    except ValueError:  # 29 February
        return now.replace(year=year, day=28)


def _check_submitted_at(submitted_at: Any, now: datetime) -> datetime:
    """Refuse a submission time that is not an aware moment of the past year."""
    message = None
    if not isinstance(submitted_at, datetime) or timezone.is_naive(submitted_at):
        message = _("Thời điểm nộp hồ sơ không hợp lệ.")
    elif submitted_at > now + SUBMISSION_CLOCK_SKEW:
        message = _("Thời điểm nộp hồ sơ không thể ở tương lai.")
    elif submitted_at < earliest_submission(now):
        message = _("Thời điểm nộp hồ sơ không thể trước đây quá một năm.")
    if message is not None:
        raise ValidationFailed(
            message, code="submitted_at_invalid", extra={"field": "submitted_at"}
        )
    return submitted_at


def _check_agencies(
    version: ProcedureVersion, centre: Agency, competent: Agency
) -> None:
    if centre.kind != AgencyKind.SERVICE_CENTRE or not centre.is_active:
        raise ValidationFailed(
            _("Nơi tiếp nhận phải là Trung tâm Phục vụ hành chính công."),
            code="centre_invalid",
        )
    if not competent.is_active:
        raise ValidationFailed(
            _("Cơ quan giải quyết không còn hoạt động."),
            code="competent_agency_invalid",
        )
    listed = version.procedure.agencies.all()
    if listed.exists():
        if not listed.filter(pk=competent.pk).exists():
            raise ValidationFailed(
                _("Cơ quan này không giải quyết thủ tục đã chọn."),
                code="competent_agency_invalid",
                extra={"field": "competent_agency"},
            )
    elif (
        version.competent_agency_kind
        and competent.kind != version.competent_agency_kind
    ):
        raise ValidationFailed(
            _("Cơ quan này không giải quyết thủ tục đã chọn."),
            code="competent_agency_invalid",
            extra={"field": "competent_agency"},
        )
    # Decree 118 Art.14(2): boundary-free procedures are received at any centre
    # of the province; the others only in the competent agency's area.
    if (
        not version.boundary_free
        and centre.level == "commune"
        and centre.administrative_unit_id != competent.administrative_unit_id
    ):
        raise ValidationFailed(
            _(
                "Thủ tục này chưa tiếp nhận không phụ thuộc địa giới; hãy nộp tại nơi có thẩm quyền."
            ),
            code="not_boundary_free",
        )


@transaction.atomic
def dossier_create(
    *,
    procedure_version: ProcedureVersion,
    channel: str,
    receiving_centre: Agency,
    competent_agency: Agency,
    applicant: dict[str, Any],
    actor: Any,
    components: list[dict[str, Any]] | None = None,
    portal_id: str | None = None,
    submitted_at: datetime | None = None,
    summary: str = "",
    paper_sets: int = 1,
    return_method: str = ReturnMethod.COUNTER,
    return_address: str = "",
    receive: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """
    Create a dossier in status ``submitted`` and, with ``receive``, receive it
    at once (the counter flow: code, due time, steps, Mẫu 01).

    Online dossiers come only from the national portal (Decree 118 Art.15(3));
    a portal id already known returns the existing dossier unchanged, so that
    the portal may retry safely.
    """
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationFailed(_("Kênh nộp không hợp lệ."), code="channel_invalid")
    if channel == Channel.ONLINE:
        if not (isinstance(actor, SystemActor) and actor is PORTAL):
            raise PermissionDenied(
                _("Hồ sơ trực tuyến chỉ được nộp qua Cổng Dịch vụ công quốc gia."),
                code="online_only_via_portal",
            )
        if not portal_id:
            raise ValidationFailed(
                _("Thiếu mã hồ sơ trên Cổng DVC quốc gia."), code="portal_id_required"
            )
        existing = Dossier.objects.filter(portal_id=portal_id).first()
        if existing is not None:
            return existing
    elif isinstance(actor, SystemActor) or not may_receive_at(
        actor, receiving_centre.pk
    ):
        raise PermissionDenied(
            _("Bạn không tiếp nhận hồ sơ tại nơi này."), code="action_not_permitted"
        )
    if procedure_version.status != VersionStatus.PUBLISHED:
        raise ValidationFailed(
            _("Thủ tục chưa được công bố, không tiếp nhận được."),
            code="procedure_not_published",
        )
    if procedure_version.channels and channel not in procedure_version.channels:
        raise ValidationFailed(
            _("Thủ tục không thực hiện qua kênh này."),
            code="channel_not_offered",
            extra={"channels": procedure_version.channels},
        )
    _check_agencies(procedure_version, receiving_centre, competent_agency)
    fields = clean_applicant(applicant)
    unit_id = fields["applicant_unit_id"]
    if (
        unit_id is not None
        and not AdministrativeUnit.objects.filter(pk=unit_id).exists()
    ):
        raise ValidationFailed(
            _("Thông tin người nộp chưa hợp lệ."),
            code="applicant_invalid",
            extra={"fields": {"unit": str(_("Không có đơn vị hành chính này."))}},
        )
    if submitted_at is not None:
        submitted_at = _check_submitted_at(submitted_at, now)
    if return_method not in ReturnMethod.values:
        raise ValidationFailed(
            _("Hình thức nhận kết quả không hợp lệ."),
            code="return_method_invalid",
            extra={"field": "return_method"},
        )
    paper_sets = int_value(
        paper_sets, "paper_sets", high=99, message=_("Số bộ hồ sơ không hợp lệ.")
    )
    dossier = Dossier(
        procedure_version=procedure_version,
        channel=channel,
        status=DossierStatus.SUBMITTED,
        receiving_centre=receiving_centre,
        competent_agency=competent_agency,
        portal_id=portal_id or None,
        summary=(summary or procedure_version.name)[:500],
        paper_sets=paper_sets,
        return_method=return_method,
        return_address=return_address[:500],
        submitted_at=submitted_at or now,
        **fields,
    )
    if channel == Channel.ONLINE:
        calendar = deadlines.calendar_for_agency(competent_agency)
        dossier.acceptance_due_at = deadlines.acceptance_due(
            calendar, dossier.submitted_at
        )
    dossier.save()
    DossierComponent.objects.bulk_create(component_rows(dossier, components or []))
    if not isinstance(actor, SystemActor):
        # Decree 118 Art.5(1)(i): what the state already holds is taken, not
        # asked for (the personal data store fills in what it can).
        for hook in configured_callables("MOTCUA_RECEPTION_HOOKS"):
            hook(dossier, actor=actor)
    record_event(
        dossier,
        action=DossierAction.SUBMIT_ONLINE
        if channel == Channel.ONLINE
        else DossierAction.SUBMIT,
        from_status="",
        actor=actor,
        now=dossier.submitted_at,
        note=note,
        data={"channel": channel, "portal_id": portal_id or ""},
        agency_id=receiving_centre.pk,
    )
    if receive:
        dossier = dossier_apply_action(
            dossier=dossier, action=DossierAction.RECEIVE, actor=actor, now=now
        )
    return dossier
