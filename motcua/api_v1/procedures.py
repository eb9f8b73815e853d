"""
The procedure catalog, read only: the published version of each procedure
with its duration, components, fees and processing steps.
"""

from datetime import date, datetime, time
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ninja import Field, Query, Router, Schema

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_search
from motcua.core.exceptions import NotFound
from motcua.core.text import fold

from .schemas import (
    DEFAULT_LIMIT,
    ERRORS,
    MAX_LIMIT,
    MAX_OFFSET,
    AgencyBriefOut,
    QuerySchema,
    is_clean_text,
)

router = Router(tags=["procedures"])


class ProcedureFilterIn(QuerySchema):
    q: str | None = Field(
        None,
        max_length=200,
        description="words of the code or name, with or without diacritics",
    )
    sector: str | None = Field(None, max_length=64, description="sector code")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SectorOut(Schema):
    code: str
    name: str


class ProcedureOut(Schema):
    code: str
    name: str
    sector: SectorOut | None
    version: int
    duration_value: float | None
    duration_unit: str
    duration_label: str = Field(description="e.g. '7 ngày làm việc'")
    cutoff_time: time | None = Field(
        description="received at or after it: counted from the next working day"
    )
    channels: list[str]
    online_level: str
    boundary_free: bool
    is_inter_agency: bool

    @staticmethod
    def resolve_code(obj: ProcedureVersion) -> str:
        return obj.procedure.code

    @staticmethod
    def resolve_sector(obj: ProcedureVersion) -> Any:
        return obj.procedure.sector

    @staticmethod
    def resolve_version(obj: ProcedureVersion) -> int:
        return obj.number

    @staticmethod
    def resolve_duration_label(obj: ProcedureVersion) -> str:
        return str(obj.duration_label)


class ComponentTemplateOut(Schema):
    id: int = Field(description="send as components[].component when receiving")
    order: int
    code: str
    name: str
    case: str = Field(description="the case it applies to; empty: every case")
    required: bool
    copy_type: str
    count: int
    reusable_source: str
    result_type_code: str
    presented_only: bool
    note: str


class FeeItemOut(Schema):
    code: str
    name: str
    kind: str
    amount: int = Field(description="đồng")
    channel: str = Field(description="empty: every channel")
    stage: str
    note: str


class StepTemplateOut(Schema):
    order: int
    name: str
    kind: str
    unit_role: str
    role: str
    allotted_value: float
    allotted_unit: str
    participant: str | None = Field(description="inter-agency: the agency's work")

    @staticmethod
    def resolve_participant(obj: Any) -> str | None:
        return obj.participant.work if obj.participant_id else None


class ParticipantOut(Schema):
    stage: int
    role: str
    agency_kind: str
    branch: str
    work: str


class ResultTypeOut(Schema):
    code: str
    name: str
    validity: str


class ProcedureDetailOut(ProcedureOut):
    decision_number: str
    procedure_type: str
    applicant_types: str
    competent_agency_text: str
    implementing_agency_text: str
    conditions: str
    legal_basis: str
    result_text: str
    published_at: datetime | None
    valid_from: date | None
    valid_to: date | None
    components: list[ComponentTemplateOut]
    fees: list[FeeItemOut]
    steps: list[StepTemplateOut]
    participants: list[ParticipantOut]
    result_types: list[ResultTypeOut]
    agencies: list[AgencyBriefOut] = Field(
        description="the province's agencies that resolve it"
    )

    @staticmethod
    def resolve_agencies(obj: ProcedureVersion) -> Any:
        return obj.procedure.agencies.all()


class ProcedurePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcedureOut]


def _published() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.published().select_related("procedure__sector")


@router.get(
    "/procedures",
    response={200: ProcedurePageOut, **ERRORS},
    summary="Search the published procedures",
)
def procedure_list_view(
    request: HttpRequest, filters: Query[ProcedureFilterIn]
) -> dict[str, Any]:
    """
    ``q`` matches every word of the code or name, diacritics or not ("dang
    ky thuong tru"), best match first (the catalog's procedure_search);
    without ``q``, every published procedure by code.
    """
    if fold(filters.q):
        procedures = procedure_search(filters.q or "", limit=None)
    else:
        procedures = Procedure.objects.filter(
            Exists(_published().filter(procedure=OuterRef("pk")))
        ).order_by("code")
    if filters.sector:
        procedures = procedures.filter(sector__code=filters.sector.strip())
    page = list(procedures[filters.offset : filters.offset + filters.limit])
    versions = {v.procedure_id: v for v in _published().filter(procedure__in=page)}
    return {
        "count": procedures.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [versions[p.pk] for p in page if p.pk in versions],
    }


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, **ERRORS},
    summary="A procedure's published version: duration, components, fees, steps",
)
def procedure_detail_view(request: HttpRequest, code: str) -> ProcedureVersion:
    if not is_clean_text(code):
        code = ""  # cannot be a code; answered like any unknown one
    version = (
        _published()
        .filter(procedure__code=code)
        .prefetch_related(
            "components",
            "fees",
            "steps__participant",
            "participants",
            "result_types",
            "procedure__agencies",
        )
        .first()
    )
    if version is None:
        raise NotFound(
            _("Không có thủ tục đang áp dụng với mã này."), code="procedure_not_found"
        )
    return version
