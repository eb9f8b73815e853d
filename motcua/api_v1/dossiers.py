"""
Dossiers: reception at the counter or by post, online dossiers from the
national portal, reads, the officer's work queue and lifecycle actions.

A dossier is addressed as ``/dossiers/{ref}``, where ``ref`` is its code
(``001.01.01.H99-260302-0001``) or, for a dossier not yet received and so
without a code, its numeric ``id``. Codes always contain a letter and dashes,
ids are only digits, so the two cannot be mistaken for each other.

Who sees what is decided by the dossiers app (``access_dossier_for_staff``,
``visible_to``, ``dossier_get_for_portal``): a dossier outside the caller's
scope is 404 like a missing one, so that codes cannot be probed.
"""

import re
from datetime import date
from typing import Any

from django.db import IntegrityError
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Response

from motcua.accounts.constants import Role
from motcua.accounts.selectors import user_agency_ids
from motcua.audit.services import access_record
from motcua.catalog.constants import Channel, CopyType
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.core.net import client_ip
from motcua.dossiers.access import access_dossier_for_staff
from motcua.dossiers.constants import (
    ApplicantType,
    ComponentSource,
    DossierAction,
    DossierStatus,
    ReturnMethod,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    DossierFilters,
    dossier_actions_for,
    dossier_for_display,
    dossier_get_for_portal,
    dossier_list,
    dossier_timeline,
    inbox_for,
)
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.units.constants import AgencyKind
from motcua.units.models import AdministrativeUnit, Agency, AgencyCode

from .auth import Caller, require_staff
from .errors import PortalNotAllowed
from .idempotency import REPLAY_HEADER, idempotent
from .schemas import (
    DEFAULT_LIMIT,
    ERRORS,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    AgencyBriefOut,
    AwareDateTime,
    ErrorOut,
    Id,
    InputSchema,
    LocalDateTime,
    UserBriefOut,
)

router = Router(tags=["dossiers"])

# What a portal token may do besides creating online dossiers and reading
# them: the citizen's supplement and withdrawal, sent through the portal.
PORTAL_ACTIONS = frozenset({DossierAction.SUPPLEMENT, DossierAction.REQUEST_WITHDRAWAL})
_CENTRE_ROLES = (Role.RECEPTION, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY)
# Most urgent first: the due time, else (online, not yet accepted) the
# acceptance deadline; dossiers with neither last, on every database.
URGENCY = (
    Coalesce(F("due_at"), F("acceptance_due_at")).asc(nulls_last=True),
    "pk",
)
_ID_REF = re.compile(r"^[0-9]{1,19}$")

IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    description="A retry with the same key and body returns the first answer.",
)


# --- input -------------------------------------------------------------------


class ApplicantIn(InputSchema):
    type: ApplicantType = ApplicantType.PERSON
    name: str = Field(max_length=255)
    id_number: str = Field("", max_length=32, description="12 digits for a person")
    birth_date: date | None = None
    address: str = Field("", max_length=500)
    unit: Id | None = Field(None, description="id of the commune of residence")
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    identity_verified: bool = Field(False, description="VNeID checked (Art.17(1)(a))")
    representative_name: str = Field("", max_length=255)
    representative_id_number: str = Field("", max_length=32)
    representative_phone: str = Field("", max_length=32)


class ComponentIn(InputSchema):
    component: Id | None = Field(
        None, description="id of the procedure's component (GET /procedures/{code})"
    )
    name: str = Field("", max_length=1000, description="for a document not listed")
    source: ComponentSource = ComponentSource.PAPER
    copy_type: CopyType | None = None
    paper_count: int = Field(0, ge=0, le=9999)
    page_count: int | None = Field(None, ge=0, le=9999)
    is_digitized: bool | None = None
    reuse_reference: str = Field("", max_length=128)
    note: str = Field("", max_length=255)


AgencyRef = Id | str


class DossierCreateIn(InputSchema):
    procedure: str = Field(
        min_length=1, max_length=32, description="procedure code, e.g. 1.004222"
    )
    channel: Channel = Channel.COUNTER
    receiving_centre: AgencyRef | None = Field(
        None,
        description="id or electronic code of the service centre; staff default: "
        "their own centre when they work at exactly one",
    )
    competent_agency: AgencyRef = Field(
        description="id or electronic code of the agency that resolves it"
    )
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=100)
    portal_id: str | None = Field(
        None, min_length=1, max_length=64, description="portal only: its dossier id"
    )
    submitted_at: AwareDateTime | None = Field(
        None, description="portal only: when the citizen submitted"
    )
    summary: str = Field("", max_length=500)
    paper_sets: int = Field(1, ge=1, le=99)
    return_method: ReturnMethod = ReturnMethod.COUNTER
    return_address: str = Field("", max_length=500)
    receive: bool | None = Field(
        None,
        description="staff: receive at once (code, due time, Mẫu 01); default true. "
        "The portal's dossiers are received later by an officer.",
    )
    note: str = Field("", max_length=2000)


class SupplementItemIn(InputSchema):
    name: str = Field(max_length=500)
    note: str = Field("", max_length=500)


class FeeRequestIn(InputSchema):
    name: str = Field(min_length=1, max_length=255)
    amount: int = Field(ge=1, le=10**12)
    code: str = Field("", max_length=32)


class ActionDataIn(InputSchema):
    """The parameters of an action; each action reads the ones it needs."""

    step: Id | None = Field(None, description="the active step acted on")
    assignee: Id | None = Field(None, description="assign: the officer's user id")
    to_agency: Id | None = Field(None, description="transfer, consult: agency id")
    competent: bool | None = Field(None, description="transfer: change jurisdiction")
    consultation: Id | None = Field(None, description="reply: which consultation")
    question: str | None = Field(None, max_length=4000)
    answer: str | None = Field(None, max_length=4000)
    days: float | None = Field(None, gt=0, le=30, description="consult: working days")
    reason: str | None = Field(None, max_length=4000)
    items: list[SupplementItemIn] | None = Field(None, max_length=50)
    acknowledge_rule_breach: bool | None = None
    fees: list[FeeRequestIn] | None = Field(None, max_length=20)
    payment_reference: str | None = Field(None, max_length=128)
    new_due_at: AwareDateTime | None = Field(None, description="extend")
    result_summary: str | None = Field(None, max_length=4000)
    result_note: str | None = Field(None, max_length=4000)
    collect_fees: bool | None = Field(None, description="return_result")
    method: ReturnMethod | None = None
    description: str | None = Field(None, max_length=4000)
    reported_at: AwareDateTime | None = Field(None, description="correct_result")


class DossierActionIn(InputSchema):
    action: DossierAction
    note: str = Field("", max_length=2000)
    data: ActionDataIn = Field(default_factory=ActionDataIn)
    expected_version: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="refuse with 409 conflict if the dossier changed meanwhile",
    )


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DossierFilterIn(PageIn):
    status: DossierStatus | None = None
    agency: Id | None = Field(None, description="receiving centre or competent agency")
    procedure: str | None = Field(None, max_length=32, description="procedure code")
    due_before: AwareDateTime | None = None
    overdue: bool = False
    applicant: str | None = Field(
        None, max_length=100, description="name words, with or without diacritics"
    )
    channel: Channel | None = None
    code: str | None = Field(None, max_length=64, description="code prefix")


# --- output ------------------------------------------------------------------


class ProcedureBriefOut(Schema):
    code: str
    name: str
    version: int

    @staticmethod
    def resolve_code(obj: ProcedureVersion) -> str:
        return obj.procedure.code

    @staticmethod
    def resolve_version(obj: ProcedureVersion) -> int:
        return obj.number


class DossierOut(Schema):
    id: int
    code: str | None
    status: DossierStatus
    status_label: str
    portal_status: int = Field(description="the portal's TrangThaiHoSo, 1–10")
    channel: Channel
    procedure: ProcedureBriefOut
    receiving_centre: AgencyBriefOut
    competent_agency: AgencyBriefOut
    applicant_name: str
    summary: str
    portal_id: str | None
    submitted_at: LocalDateTime
    acceptance_due_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    resolved_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    timeliness: str
    sub_state: str
    version: int = Field(description="send back as expected_version with an action")

    @staticmethod
    def resolve_status_label(obj: Dossier) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_procedure(obj: Dossier) -> ProcedureVersion:
        return obj.procedure_version


class ApplicantOut(Schema):
    type: ApplicantType
    name: str
    id_number: str
    birth_date: date | None
    address: str
    unit_id: int | None
    phone: str
    email: str
    identity_verified: bool
    representative_name: str
    representative_id_number: str
    representative_phone: str

    @staticmethod
    def resolve_type(obj: Dossier) -> str:
        return obj.applicant_type

    @staticmethod
    def resolve_name(obj: Dossier) -> str:
        return obj.applicant_name

    @staticmethod
    def resolve_id_number(obj: Dossier) -> str:
        return obj.applicant_id_number

    @staticmethod
    def resolve_birth_date(obj: Dossier) -> date | None:
        return obj.applicant_birth_date

    @staticmethod
    def resolve_address(obj: Dossier) -> str:
        return obj.applicant_address

    @staticmethod
    def resolve_unit_id(obj: Dossier) -> int | None:
        return obj.applicant_unit_id

    @staticmethod
    def resolve_phone(obj: Dossier) -> str:
        return obj.applicant_phone

    @staticmethod
    def resolve_email(obj: Dossier) -> str:
        return obj.applicant_email


class ComponentOut(Schema):
    id: int
    component_id: int | None
    order: int
    name: str
    copy_type: str
    paper_count: int
    source: str
    is_digitized: bool
    is_reused: bool
    reuse_reference: str
    page_count: int | None
    note: str


class FeeOut(Schema):
    id: int
    code: str
    name: str
    amount: int = Field(description="đồng")
    stage: str
    status: str
    paid_at: LocalDateTime | None
    payment_reference: str


class StepOut(Schema):
    id: int
    order: int
    block: int = Field(description="steps of one block run in parallel")
    lane: str
    name: str
    kind: str
    role: str
    agency: AgencyBriefOut
    is_lead: bool
    assignee: UserBriefOut | None
    status: str
    allotted_minutes: int = Field(description="working minutes allotted")
    started_at: LocalDateTime | None
    due_at: LocalDateTime | None
    completed_at: LocalDateTime | None
    timeliness: str
    used_minutes: int | None
    result_note: str


class HandOverOut(Schema):
    id: int
    kind: str
    step_id: int | None
    from_agency: AgencyBriefOut
    to_agency: AgencyBriefOut | None
    giver: UserBriefOut | None
    receiver: UserBriefOut | None
    receiver_label: str
    handed_at: LocalDateTime
    step_due_at: LocalDateTime | None
    timeliness: str
    note: str


class ConsultationOut(Schema):
    id: int
    from_agency: AgencyBriefOut
    to_agency: AgencyBriefOut
    question: str
    asked_at: LocalDateTime
    due_at: LocalDateTime
    status: str
    answer: str
    answered_at: LocalDateTime | None
    timeliness: str


class SupplementRequestOut(Schema):
    id: int
    phase: str
    requested_at: LocalDateTime
    reason: str
    items: list[dict[str, Any]]
    respond_by: LocalDateTime
    supplied_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    new_due_at: LocalDateTime | None
    breaches_rule: str


class EventOut(Schema):
    id: int
    action: DossierAction
    action_label: str
    from_status: str
    to_status: str
    actor: str
    agency: AgencyBriefOut | None
    step_id: int | None
    note: str
    data: dict[str, Any]
    due_at: LocalDateTime | None
    created_at: LocalDateTime

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label


class DossierDetailOut(DossierOut):
    applicant: ApplicantOut
    return_method: ReturnMethod
    return_address: str
    paper_sets: int
    original_due_at: LocalDateTime | None
    paused_at: LocalDateTime | None
    extension_count: int
    acceptance_breached: bool
    counted_late: bool
    counted_late_reason: str
    result_kind: str
    result_summary: str
    decision_reason: str
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut] = Field(description="with each step's own due time")
    handovers: list[HandOverOut] = Field(description="the control sheet (Mẫu 06)")
    consultations: list[ConsultationOut]
    supplement_requests: list[SupplementRequestOut]
    events: list[EventOut] = Field(
        description="the timeline; public events only for the portal"
    )
    allowed_actions: list[DossierAction] = Field(
        description="what the caller may do now (the services still decide)"
    )

    @staticmethod
    def resolve_applicant(obj: Dossier) -> Dossier:
        return obj

    @staticmethod
    def resolve_events(obj: Dossier) -> list[Any]:
        return obj.api_events  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allowed_actions(obj: Dossier) -> list[DossierAction]:
        return obj.api_allowed_actions  # type: ignore[attr-defined]


class DossierCreatedOut(DossierDetailOut):
    lookup_secret: str = Field(
        description="printed on the receipt (Mẫu 01) for the public lookup"
    )


class DossierPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierOut]


# --- helpers -----------------------------------------------------------------


def _lookup(ref: str) -> dict[str, Any]:
    if _ID_REF.match(ref) and int(ref) <= MAX_ID:
        return {"pk": int(ref)}
    if 0 < len(ref) <= 64:
        return {"code": ref}
    raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def dossier_for(caller: Caller, ref: str) -> Dossier:
    """Return the dossier ``ref`` if the caller may see it, else raise NotFound."""
    lookup = _lookup(ref)
    if caller.is_portal:
        return dossier_get_for_portal(**lookup)
    return access_dossier_for_staff(caller.user, **lookup)


def actions_for(caller: Caller, dossier: Dossier) -> list[DossierAction]:
    actions = dossier_actions_for(caller.actor, dossier)
    if caller.is_portal:
        actions = [a for a in actions if a in PORTAL_ACTIONS]
    return actions


def detail_of(caller: Caller, dossier: Dossier) -> Dossier:
    """Return ``dossier`` loaded for DossierDetailOut, as the caller sees it."""
    dossier = dossier_for_display(dossier)
    prefetch_related_objects(
        [dossier],
        "handovers__from_agency",
        "handovers__to_agency",
        "handovers__giver",
        "handovers__receiver",
        "consultations__from_agency",
        "consultations__to_agency",
    )
    dossier.api_events = list(dossier_timeline(dossier, public=caller.is_portal))  # type: ignore[attr-defined]
    dossier.api_allowed_actions = actions_for(caller, dossier)  # type: ignore[attr-defined]
    return dossier


def _field_error(field: str, message: Any, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, extra={"fields": {field: str(message)}})


def _published_version(code: str) -> ProcedureVersion:
    version = (
        ProcedureVersion.objects.published()
        .select_related("procedure")
        .filter(procedure__code=code.strip())
        .first()
    )
    if version is not None:
        return version
    if Procedure.objects.filter(code=code.strip()).exists():
        raise _field_error(
            "procedure",
            _("Thủ tục chưa được công bố, không tiếp nhận được."),
            "procedure_not_published",
        )
    raise _field_error(
        "procedure", _("Không có thủ tục với mã này."), "procedure_unknown"
    )


def _agency(ref: int | str, field: str) -> Agency:
    if isinstance(ref, int):
        agency = Agency.objects.filter(pk=ref).first()
    else:
        today = timezone.localdate()
        match = (
            AgencyCode.objects.select_related("agency")
            .filter(code=ref.strip(), valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
            .first()
        )
        agency = match.agency if match else None
    if agency is None:
        raise _field_error(field, _("Không có cơ quan, đơn vị này."), "agency_unknown")
    return agency


def _own_centre(caller: Caller) -> Agency:
    centres = list(
        Agency.objects.filter(
            pk__in=user_agency_ids(caller.user, roles=_CENTRE_ROLES),
            kind=AgencyKind.SERVICE_CENTRE,
            is_active=True,
        )[:2]
    )
    if len(centres) != 1:
        raise _field_error(
            "receiving_centre",
            _("Hãy chọn nơi tiếp nhận hồ sơ."),
            "receiving_centre_required",
        )
    return centres[0]


def _create(caller: Caller, payload: DossierCreateIn) -> tuple[int, Dossier]:
    """Create (and for staff receive) the dossier; return (status, dossier)."""
    version = _published_version(payload.procedure)
    if caller.is_portal:
        if payload.receive:
            raise _field_error(
                "receive",
                _("Hồ sơ trực tuyến do cán bộ tiếp nhận sau khi kiểm tra."),
                "portal_cannot_receive",
            )
        if payload.portal_id:
            # Decree 118 Art.17(2): the portal resends until acknowledged.
            existing = Dossier.objects.filter(portal_id=payload.portal_id).first()
            if existing is not None:
                return 200, existing
        if payload.receiving_centre is None:
            raise _field_error(
                "receiving_centre",
                _("Hãy chọn nơi tiếp nhận hồ sơ."),
                "receiving_centre_required",
            )
        centre = _agency(payload.receiving_centre, "receiving_centre")
        receive = False
    else:
        for field in ("portal_id", "submitted_at"):
            if getattr(payload, field) is not None:
                raise _field_error(
                    field,
                    _("Chỉ Cổng DVC quốc gia gửi trường này."),
                    f"{field}_portal_only",
                )
        centre = (
            _agency(payload.receiving_centre, "receiving_centre")
            if payload.receiving_centre is not None
            else _own_centre(caller)
        )
        receive = payload.receive is not False
    competent = _agency(payload.competent_agency, "competent_agency")
    applicant = payload.applicant.model_dump()
    if (
        applicant["unit"] is not None
        and not AdministrativeUnit.objects.filter(pk=applicant["unit"]).exists()
    ):
        raise _field_error(
            "applicant.unit", _("Không có đơn vị hành chính này."), "unit_unknown"
        )
    try:
        dossier = dossier_create(
            procedure_version=version,
            channel=payload.channel,
            receiving_centre=centre,
            competent_agency=competent,
            applicant=applicant,
            actor=caller.actor,
            components=[c.model_dump(exclude_none=True) for c in payload.components],
            portal_id=payload.portal_id,
            submitted_at=payload.submitted_at,
            summary=payload.summary,
            paper_sets=payload.paper_sets,
            return_method=payload.return_method,
            return_address=payload.return_address,
            receive=receive,
            note=payload.note,
        )
    except IntegrityError:
        # Two deliveries of one portal dossier at once: the database let one
        # through (portal_id is unique); the other answers with it.
        existing = (
            Dossier.objects.filter(portal_id=payload.portal_id).first()
            if payload.portal_id
            else None
        )
        if existing is None:
            raise
        return 200, existing
    return 201, dossier


def _page(queryset: QuerySet[Dossier], page: PageIn) -> dict[str, Any]:
    queryset = queryset.order_by(*URGENCY)
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset : page.offset + page.limit]),
    }


def _answer(status: int, body: dict[str, Any], replayed: bool) -> Response:
    response = Response(body, status=status)
    if replayed:
        response[REPLAY_HEADER] = "true"
    return response


# --- endpoints ---------------------------------------------------------------


@router.post(
    "/dossiers",
    response={200: DossierCreatedOut, 201: DossierCreatedOut, 409: ErrorOut, **ERRORS},
    summary="Receive a dossier (staff) or take in an online dossier (portal)",
)
def dossier_create_view(
    request: HttpRequest,
    payload: DossierCreateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:
    """
    Staff: a dossier received at the counter or by post is created and, unless
    ``receive`` is false, received at once: the answer carries its code, due
    time and the lookup secret printed on the receipt (Mẫu 01). 201.

    Portal token: an online dossier (channel ``online``) is created in status
    ``submitted`` for an officer to accept. Idempotent on ``portal_id``: a
    dossier already delivered is answered with 200 and left unchanged.
    """
    caller: Caller = request.auth  # type: ignore[attr-defined]

    def produce() -> tuple[int, dict[str, Any]]:
        status, dossier = _create(caller, payload)
        body = DossierCreatedOut.from_orm(detail_of(caller, dossier))
        return status, body.model_dump(mode="json")

    return _answer(*idempotent(request, caller, produce))


@router.get(
    "/dossiers",
    response={200: DossierPageOut, **ERRORS},
    summary="List the dossiers the caller may see, most urgent first",
)
def dossier_list_view(
    request: HttpRequest, filters: Query[DossierFilterIn]
) -> dict[str, Any]:
    """Staff only. ``applicant`` matches name words with or without diacritics."""
    caller = require_staff(request)
    queryset = dossier_list(
        user=caller.user,
        filters=DossierFilters(
            status=filters.status,
            agency_id=filters.agency,
            due_before=filters.due_before,
            overdue=filters.overdue,
            applicant=filters.applicant,
            code=filters.code,
            channel=filters.channel,
        ),
    )
    if filters.procedure:
        queryset = queryset.filter(
            procedure_version__procedure__code=filters.procedure.strip()
        )
    return _page(queryset, filters)


@router.get(
    "/inbox",
    response={200: DossierPageOut, **ERRORS},
    summary="The caller's work queue, most urgent first",
)
def inbox_view(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """
    Staff only: active steps assigned to the caller or unassigned in their
    units, online dossiers to accept and results to return at their centres,
    open consultations to their agencies.
    """
    caller = require_staff(request)
    return _page(inbox_for(user=caller.user), page)


@router.get(
    "/dossiers/{ref}",
    response={200: DossierDetailOut, **ERRORS},
    summary="One dossier with its timeline, steps, hand-overs, components, fees",
)
def dossier_detail_view(request: HttpRequest, ref: str) -> Dossier:
    """
    ``ref`` is the dossier's code or, before it has one, its numeric id.
    ``allowed_actions`` are the actions the caller may apply now.
    """
    caller: Caller = request.auth  # type: ignore[attr-defined]
    dossier = detail_of(caller, dossier_for(caller, ref))
    if not caller.is_portal:
        # DESIGN §8: every read of personal data by staff is logged.
        access_record(
            actor=caller.user,
            subject_id_number=dossier.applicant_id_number,
            what="API: chi tiết hồ sơ",
            dossier=dossier,
            ip_address=client_ip(request),
        )
    return dossier


@router.post(
    "/dossiers/{ref}/actions",
    response={200: DossierDetailOut, 409: ErrorOut, **ERRORS},
    summary="Apply a lifecycle action; answer the updated dossier",
)
def dossier_action_view(
    request: HttpRequest,
    ref: str,
    payload: DossierActionIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:
    """
    The lifecycle table and the services decide. A refusal keeps its code
    (``invalid_transition`` 409, ``action_not_permitted`` 403, a rule's own
    code 422, ``conflict`` 409 for a stale ``expected_version``) and lists in
    ``extra.allowed_actions`` what the caller may do instead.
    """
    caller: Caller = request.auth  # type: ignore[attr-defined]

    def produce() -> tuple[int, dict[str, Any]]:
        dossier = dossier_for(caller, ref)
        try:
            if caller.is_portal and payload.action not in PORTAL_ACTIONS:
                raise PortalNotAllowed(extra={"action": payload.action.value})
            dossier = dossier_apply_action(
                dossier=dossier,
                action=payload.action,
                actor=caller.actor,
                note=payload.note,
                data=payload.data.model_dump(exclude_none=True),
                expected_version=payload.expected_version,
            )
        except DomainError as error:
            current = Dossier.objects.get(pk=dossier.pk)
            error.extra = {
                **error.extra,
                "status": current.status,
                "version": current.version,
                "allowed_actions": [a.value for a in actions_for(caller, current)],
            }
            raise
        body = DossierDetailOut.from_orm(detail_of(caller, dossier))
        return 200, body.model_dump(mode="json")

    return _answer(*idempotent(request, caller, produce))
