"""
Request and response schemas of the dossier endpoints (``dossiers.py``).

Inputs forbid unknown fields and bound every size; outputs are read from the
models through resolvers, times in Vietnam time (+07:00).
"""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from motcua.catalog.constants import Channel, CopyType
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.constants import (
    ApplicantType,
    ComponentSource,
    DossierAction,
    DossierStatus,
    ReturnMethod,
)
from motcua.dossiers.models import Dossier

from .schemas import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    AgencyBriefOut,
    AwareDateTime,
    Id,
    InputSchema,
    LocalDateTime,
    QuerySchema,
    UserBriefOut,
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


def _agency_ref(value: Any) -> int | str:
    # One clear error for "neither an id nor a code", instead of pydantic's
    # two per union member.
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    if isinstance(value, str) and 1 <= len(value.strip()) <= 35:
        return value
    raise PydanticCustomError(
        "agency_ref", "An agency id (integer) or electronic code (string)"
    )


AgencyRef = Annotated[
    int | str,
    PlainValidator(_agency_ref),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "minLength": 1, "maxLength": 35},
            ],
            "description": "agency id, or its electronic code (000.00.01.H99)",
        }
    ),
]


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
    data: ActionDataIn = Field(default_factory=lambda: ActionDataIn.model_validate({}))
    expected_version: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="refuse with 409 conflict if the dossier changed meanwhile",
    )


class PageIn(QuerySchema):
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


class FormLinkOut(Schema):
    kind: str = Field(description='"01"…"07", "transfer"')
    title: str
    href: str = Field(description="GET it for the PDF")


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
    forms: list[FormLinkOut] = Field(
        description="official forms that apply now (staff only), as PDF"
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

    @staticmethod
    def resolve_forms(obj: Dossier) -> list[dict[str, str]]:
        return obj.api_forms  # type: ignore[attr-defined]


class DossierCreatedOut(DossierDetailOut):
    lookup_secret: str = Field(
        description="printed on the receipt (Mẫu 01) for the public lookup"
    )


class DossierPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierOut]
