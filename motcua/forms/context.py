"""
Template contexts of the official forms, built from a dossier and its rows.

Everything a form prints is decided here, formatted the Vietnamese
administrative way (``formatting``); the templates only lay it out. These
functions read the database but never render, so they are tested without
WeasyPrint.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from motcua.catalog.constants import CopyType
from motcua.core.text import fold
from motcua.dossiers.constants import (
    DossierAction,
    FeeStatus,
    HandOverKind,
    Phase,
    ResultKind,
    ReturnMethod,
    StepStatus,
    Timeliness,
)
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.units.calendars import calendar_for_agency
from motcua.units.models import Agency

from . import formatting as fmt
from .qr import qr_svg_data_uri
from .registry import FormKind

ONE_STOP_UNIT = "Bộ phận tiếp nhận và trả kết quả"
# The control sheet's own abbreviation (TT01/2018 Mẫu 05, legal-spec §4.7).
ONE_STOP_UNIT_SHORT = "Bộ phận TN&TKQ"
TIMELINESS_LABELS: dict[str, str] = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
# Completes "Đăng ký nhận kết quả tại: …" (Mẫu 01 field 6).
RETURN_METHOD_LABELS: dict[str, str] = {
    ReturnMethod.COUNTER: "Bộ phận tiếp nhận và trả kết quả",
    ReturnMethod.POST: "địa chỉ nhận qua dịch vụ bưu chính công ích",
    ReturnMethod.ONLINE: "Cổng Dịch vụ công quốc gia (nhận kết quả trực tuyến)",
}


# --- shared parts ----------------------------------------------------------


def place_of(agency: Agency) -> str:
    """
    Return the place name of the date line: the administrative unit where the
    issuing agency sits (Decree 30/2020 Appendix I, I.4(a)).
    """
    return agency.administrative_unit.name


def header(
    kind: FormKind, issuer: Agency, *, code: str | None, when: datetime | None
) -> dict[str, Any]:
    """The Decree 30/2020 header: agency names, number, place and date."""
    number = ""
    if kind.number_suffix:
        number = f"{code or '……'}/{kind.number_suffix}"
    parent = issuer.parent
    return {
        "parent_name": fmt.upper_vi(parent.name) if parent else "",
        "agency_name": fmt.upper_vi(issuer.name),
        "number": number,
        "place_date": fmt.place_date(place_of(issuer), when),
        "form_number": kind.number,
        "title": fmt.upper_vi(kind.title),
    }


def lookup_url(dossier: Dossier) -> str:
    """Return the public lookup page of the dossier, printed and in the QR code."""
    return (
        f"{settings.SITE_URL.rstrip('/')}/lookup/?{urlencode({'code': dossier.code})}"
    )


def applicant(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "representative": dossier.representative_name,
        "representative_phone": dossier.representative_phone,
    }


def _person(user) -> str:
    return user.display_name if user is not None else ""


def _last_event(dossier: Dossier, action: DossierAction) -> DossierEvent | None:
    return dossier.events.filter(action=action).order_by("-created_at", "-pk").first()


def _event_actor(event: DossierEvent | None) -> str:
    # A system actor (the deadline sweep, the portal) signs nothing: the
    # signature line is left for the head of the unit.
    if event is None or event.actor_id is None:
        return ""
    return _person(event.actor)


def _copy_type_label(value: str) -> str:
    try:
        return str(CopyType(value).label)
    except ValueError:
        return value


def procedure_name(dossier: Dossier) -> str:
    return dossier.procedure_version.name


def base_context(
    kind: FormKind, dossier: Dossier, issuer: Agency, when
) -> dict[str, Any]:
    return {
        "form": kind,
        "dossier": dossier,
        "header": header(kind, issuer, code=dossier.code, when=when),
        "issuer": issuer,
        "applicant": applicant(dossier),
        "procedure": procedure_name(dossier),
        "code": dossier.code or "",
        "centre": dossier.receiving_centre,
    }


# --- Mẫu 01 ----------------------------------------------------------------


def _fees(dossier: Dossier) -> list[dict[str, Any]]:
    labels: dict[str, str] = {
        FeeStatus.DUE: "chưa nộp",
        FeeStatus.PAID: "đã nộp",
        FeeStatus.WAIVED: "miễn",
        FeeStatus.REFUNDED: "đã hoàn trả",
    }
    return [
        {
            "name": fee.name,
            "amount": fmt.amount(fee.amount),
            "status": labels.get(fee.status, fee.status),
            "paid": fee.status == FeeStatus.PAID,
        }
        for fee in dossier.fees.order_by("pk")
    ]


def receipt_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (legal-spec §4.2)."""
    context = base_context(kind, dossier, dossier.receiving_centre, dossier.received_at)
    url = lookup_url(dossier)
    return_method = RETURN_METHOD_LABELS.get(
        dossier.return_method, dossier.return_method
    )
    if dossier.return_method == ReturnMethod.COUNTER:
        centre = dossier.receiving_centre
        return_method = f"{return_method} ({centre.short_name or centre.name})"
    elif dossier.return_method == ReturnMethod.POST and dossier.return_address:
        return_method = f"{return_method}: {dossier.return_address}"
    context.update(
        components=[
            {
                "name": c.name,
                "copy_type": _copy_type_label(c.copy_type),
                "count": c.paper_count,
            }
            for c in dossier.components.order_by("order", "pk")
        ],
        paper_sets=f"{dossier.paper_sets:02d}",
        duration=fmt.duration_text(dossier.duration_value, dossier.duration_unit),
        received_at=fmt.time_words(dossier.received_at),
        due_at=fmt.time_words(dossier.due_at),
        return_method=return_method,
        fees=_fees(dossier),
        book_year=dossier.book_year,
        book_sequence=dossier.book_sequence,
        lookup_url=url,
        lookup_secret=dossier.lookup_secret,
        qr_payload=url,
        qr_data_uri=qr_svg_data_uri(url),
        officer=_person(dossier.received_by),
        channel=dossier.get_channel_display(),
        # One sheet per copy; only the applicant's copy carries the secret.
        copies=[
            {"label": "Liên 1: Lưu tại Bộ phận một cửa", "secret": False},
            {"label": "Liên 2: Giao người nộp hồ sơ", "secret": True},
        ],
    )
    return context


# --- Mẫu 02 ----------------------------------------------------------------


def supplement_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (legal-spec §4.3)."""
    request = dossier.supplement_requests.select_related(
        "agency__administrative_unit", "agency__parent", "requested_by"
    ).latest("requested_at", "pk")
    context = base_context(kind, dossier, request.agency, request.requested_at)
    catalog = {fold(c.name): c for c in dossier.procedure_version.components.all()}
    rows = []
    for index, item in enumerate(request.items, start=1):
        component = catalog.get(fold(item.get("name", "")))
        counts = {"original": "", "certified": "", "copy": ""}
        if component is not None:
            columns: dict[str, str] = {
                CopyType.ORIGINAL: "original",
                CopyType.CERTIFIED_COPY: "certified",
                CopyType.COPY: "copy",
            }
            column = columns.get(component.copy_type)
            if column:
                counts[column] = f"{component.count:02d}"
        rows.append(
            {"index": index, "name": item.get("name", ""), "note": item.get("note", "")}
            | counts
        )
    officer = request.requested_by
    phone = request.agency.phone or dossier.receiving_centre.phone
    context.update(
        request=request,
        phase=request.phase,
        during_processing=request.phase == Phase.PROCESSING,
        items=rows,
        reason=request.reason,
        respond_by=fmt.date_words(request.respond_by),
        officer=_person(officer),
        contact_phone=phone,
    )
    return context


# --- Mẫu 03 ----------------------------------------------------------------


def refusal_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """
    Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (legal-spec §4.4): by the
    one-stop unit at reception, or by the competent agency after appraisal
    (Decree 118 Art.19(3)).
    """
    after_appraisal = dossier.result_kind == ResultKind.REFUSED
    if after_appraisal:
        issuer, when = dossier.competent_agency, dossier.resolved_at
        event = _last_event(dossier, DossierAction.REJECT)
        signer_title = "THỦ TRƯỞNG CƠ QUAN"
        signer_hint = "(Ký, ghi rõ họ tên và đóng dấu)"
    else:
        issuer, when = dossier.receiving_centre, dossier.refused_at
        event = _last_event(dossier, DossierAction.REFUSE)
        signer_title = "NGƯỜI TIẾP NHẬN HỒ SƠ"
        signer_hint = "(Ký và ghi rõ họ tên)"
    context = base_context(kind, dossier, issuer, when)
    context.update(
        after_appraisal=after_appraisal,
        unit_name=ONE_STOP_UNIT if not after_appraisal else issuer.name,
        reason=dossier.decision_reason,
        signer_title=signer_title,
        signer_hint=signer_hint,
        signer=_event_actor(event),
        contact_phone=issuer.phone,
        submitted_at=fmt.time_words(dossier.submitted_at),
    )
    return context


# --- Mẫu 04 ----------------------------------------------------------------


def extension_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn (legal-spec §4.5, Art.19(6))."""
    extension = dossier.extension
    agency = extension.agency
    context = base_context(kind, dossier, agency, extension.requested_at)
    context.update(
        extension=extension,
        received_on=fmt.date_words(dossier.received_at),
        previous_due=fmt.time_words(extension.previous_due_at),
        new_due=fmt.time_words(extension.new_due_at),
        reason=extension.reason,
        agency_name=agency.name,
        signer=_person(extension.requested_by),
        recipients=[
            "Như trên",
            dossier.receiving_centre.short_name or dossier.receiving_centre.name,
            "Lưu: VT",
        ],
    )
    return context


# --- Mẫu 05 ----------------------------------------------------------------


def stop_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """
    Mẫu 05 — Thông báo dừng giải quyết hồ sơ, with the minimum fields of
    legal-spec §4.6 (Decree 118 Art.21, TT03/2025 Art.7).
    """
    withdrawal = _last_event(dossier, DossierAction.REQUEST_WITHDRAWAL)
    stop = _last_event(dossier, DossierAction.STOP) or _last_event(
        dossier, DossierAction.CLOSE_UNSUPPLEMENTED
    )
    closed_unsupplemented = (
        stop is not None and stop.action == DossierAction.CLOSE_UNSUPPLEMENTED
    )
    when = dossier.stopped_at or dossier.withdrawal_requested_at
    context = base_context(kind, dossier, dossier.receiving_centre, when)
    channel = (withdrawal.data.get("channel") if withdrawal else "") or ""
    paid = [f for f in _fees(dossier) if f["paid"]]
    context.update(
        withdrawal_requested_on=fmt.date_words(dossier.withdrawal_requested_at)
        if dossier.withdrawal_requested_at
        else "",
        withdrawal_channel="trực tuyến qua Cổng Dịch vụ công quốc gia"
        if channel == "online"
        else "trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
        closed_unsupplemented=closed_unsupplemented,
        reason=dossier.decision_reason,
        stopped_at=fmt.time_words(dossier.stopped_at),
        received_at=fmt.time_words(dossier.received_at) if dossier.received_at else "",
        paid_fees=paid,
        signer=_event_actor(stop),
    )
    return context


# --- Mẫu 06 ----------------------------------------------------------------


def _party(agency: Agency | None, label: str = "") -> str:
    if agency is None:
        return label or "Tổ chức, cá nhân"
    if agency.is_service_centre:
        return f"{ONE_STOP_UNIT_SHORT} ({agency.short_name or agency.name})"
    return agency.name


def _next_stage_agency(steps: list[DossierStep], step: DossierStep | None) -> str:
    if step is None:
        return ""
    later = [s for s in steps if s.block > step.block]
    return _party(later[0].agency) if later else ""


def control_sheet_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """
    Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ, one block per
    hand-over (legal-spec §4.7), ending with the return to the applicant: the
    recorded one, or blank lines to fill in by hand.
    """
    context = base_context(kind, dossier, dossier.receiving_centre, dossier.received_at)
    steps = list(dossier.steps.select_related("agency").order_by("order"))
    handovers = list(
        dossier.handovers.select_related(
            "from_agency", "to_agency", "giver", "receiver", "step"
        ).order_by("handed_at", "pk")
    )
    rows = []
    for handover in handovers:
        if handover.kind == HandOverKind.FORWARD and handover.to_agency is None:
            # A lane that finishes before its parallel lanes hands over to the
            # next stage, which starts when the last lane finishes.
            giver = _party(handover.from_agency)
            receiver = _next_stage_agency(steps, handover.step) or ""
        elif handover.kind == HandOverKind.ASSIGN:
            giver = f"{_party(handover.from_agency)} (phân công)"
            receiver = _person(handover.receiver)
        else:
            giver = _party(handover.from_agency)
            receiver = _party(
                handover.to_agency,
                handover.receiver_label if handover.kind == HandOverKind.RETURN else "",
            )
        notes = [
            n for n in (handover.step.name if handover.step else "", handover.note) if n
        ]
        rows.append(
            {
                "giver": giver,
                "receiver": receiver,
                "time": fmt.short_time_words(handover.handed_at),
                "giver_person": _person(handover.giver),
                "receiver_person": _person(handover.receiver)
                if handover.kind != HandOverKind.RETURN
                else handover.receiver_label,
                "result": TIMELINESS_LABELS.get(handover.timeliness, ""),
                "note": "; ".join(notes),
                "blank": False,
            }
        )
    if not any(h.kind == HandOverKind.RETURN for h in handovers):
        rows.append(
            {
                "giver": _party(dossier.receiving_centre),
                "receiver": "Tổ chức, cá nhân",
                "time": fmt.short_time_words(None),
                "giver_person": "",
                "receiver_person": "",
                "result": "",
                "note": "",
                "blank": True,
            }
        )
    coordinating = []
    for step in steps:
        agency = step.agency
        if (
            agency.pk not in (dossier.competent_agency_id, dossier.receiving_centre_id)
            and agency.name not in coordinating
        ):
            coordinating.append(agency.name)
    context.update(
        rows=rows,
        competent=dossier.competent_agency.name,
        coordinating=coordinating,
        received_at=fmt.time_words(dossier.received_at),
        due_at=fmt.time_words(dossier.due_at),
    )
    return context


# --- Phiếu chuyển xử lý ------------------------------------------------------


@dataclass
class TransferRow:
    agency: str
    work: str
    is_lead: bool
    start: str
    due: str
    planned: bool
    status: str


@dataclass
class TransferStage:
    number: int
    parallel: bool
    rows: list[TransferRow] = field(default_factory=list)


def transfer_stages(dossier: Dossier, steps: list[DossierStep]) -> list[TransferStage]:
    """
    Return the agencies' work, block by block (Decree 118 Art.20(2)): the
    actual start and deadline of a started step, else the planned ones, each
    block starting when the previous one is due.
    """
    calendar = calendar_for_agency(dossier.competent_agency)
    cursor = dossier.clock_started_at or dossier.received_at
    stages: list[TransferStage] = []
    if cursor is None:
        return stages
    for block in sorted({s.block for s in steps}):
        block_steps = [s for s in steps if s.block == block]
        lanes = {s.lane for s in block_steps}
        block_end = cursor
        lane_cursor: dict[str, datetime] = {}
        rows = []
        for step in sorted(block_steps, key=lambda s: s.order):
            planned = step.started_at is None or step.due_at is None
            if step.started_at is None or step.due_at is None:
                start = lane_cursor.get(step.lane, cursor)
                due = calendar.add_working_minutes(start, step.allotted_minutes)
            else:
                start, due = step.started_at, step.due_at
            # A finished step hands over when it finished, not when it was due.
            finish = step.completed_at or due
            lane_cursor[step.lane] = finish
            block_end = max(block_end, finish)
            if step.kind in ("reception", "return"):
                continue
            rows.append(
                TransferRow(
                    agency=step.agency.name,
                    work=step.name,
                    is_lead=step.is_lead,
                    start=fmt.short_time(start),
                    due=fmt.short_time(due),
                    planned=planned,
                    status=step.get_status_display()
                    if step.status != StepStatus.PENDING
                    else "",
                )
            )
        cursor = block_end
        if rows:
            stages.append(
                TransferStage(
                    number=len(stages) + 1, parallel=len(lanes) > 1, rows=rows
                )
            )
    return stages


def transfer_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """Phiếu chuyển xử lý (Decree 118 Art.20(2)(a)): each agency's work and deadline."""
    steps = list(dossier.steps.select_related("agency").order_by("order"))
    first_forward = (
        dossier.handovers.filter(from_agency=dossier.receiving_centre)
        .exclude(kind=HandOverKind.RETURN)
        .order_by("handed_at", "pk")
        .first()
    )
    when = first_forward.handed_at if first_forward else dossier.received_at
    context = base_context(kind, dossier, dossier.receiving_centre, when)
    stages = transfer_stages(dossier, steps)
    recipients: list[str] = []
    for stage in stages:
        for row in stage.rows:
            if row.agency not in recipients:
                recipients.append(row.agency)
    context.update(
        stages=stages,
        recipients=recipients,
        received_at=fmt.time_words(dossier.received_at),
        due_at=fmt.time_words(dossier.due_at),
        any_planned=any(r.planned for s in stages for r in s.rows),
        sender=_person(first_forward.giver)
        if first_forward and first_forward.giver_id
        else _person(dossier.received_by),
    )
    return context


# --- Mẫu 07 ----------------------------------------------------------------


def tracking_book_context(
    kind: FormKind, centre: Agency, year: int, rows: list
) -> dict[str, Any]:
    """Mẫu 07 — Sổ theo dõi hồ sơ of one centre and year (legal-spec §4.8)."""
    return {
        "form": kind,
        "header": header(kind, centre, code=None, when=timezone.now()),
        "centre": centre,
        "year": year,
        "rows": rows,
    }


BUILDERS = {
    "01": receipt_context,
    "02": supplement_context,
    "03": refusal_context,
    "04": extension_context,
    "05": stop_context,
    "06": control_sheet_context,
    "transfer": transfer_context,
}


def build_context(kind: FormKind, dossier: Dossier) -> dict[str, Any]:
    """Return the template context of form ``kind`` for ``dossier``."""
    return BUILDERS[kind.code](kind, dossier)
