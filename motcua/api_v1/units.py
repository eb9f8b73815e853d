"""Agencies, service centres and administrative units, read only."""

from typing import Any

from django.http import HttpRequest

from ninja import Field, Query, Router, Schema

from motcua.core.text import fold
from motcua.units.constants import AgencyKind, AgencyLevel, Structure, UnitLevel
from motcua.units.models import AdministrativeUnit, Agency

from .schemas import DEFAULT_LIMIT, ERRORS, MAX_LIMIT, MAX_OFFSET, QuerySchema

router = Router(tags=["agencies"])


class AgencyFilterIn(QuerySchema):
    q: str | None = Field(
        None, max_length=200, description="name words, with or without diacritics"
    )
    kind: AgencyKind | None = None
    level: AgencyLevel | None = None
    procedure: str | None = Field(
        None, max_length=32, description="only agencies that resolve this procedure"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class AreaOut(Schema):
    id: int
    code: str
    name: str = Field(description="full name, e.g. Xã An Hòa")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.full_name


class AgencyOut(Schema):
    id: int
    code: str = Field(description="electronic identifier in force today")
    name: str
    short_name: str
    kind: AgencyKind
    level: AgencyLevel
    branch: str
    parent_id: int | None
    area: AreaOut
    address: str
    phone: str
    email: str

    @staticmethod
    def resolve_code(obj: Agency) -> str:
        return obj.current_code

    @staticmethod
    def resolve_area(obj: Agency) -> Any:
        return obj.administrative_unit


class AgencyPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgencyOut]


@router.get(
    "/agencies",
    response={200: AgencyPageOut, **ERRORS},
    summary="The province's active agencies and service centres",
)
def agency_list_view(
    request: HttpRequest, filters: Query[AgencyFilterIn]
) -> dict[str, Any]:
    """Use an agency's ``id`` or ``code`` when receiving a dossier."""
    queryset = (
        Agency.objects.filter(is_active=True)
        .select_related("administrative_unit")
        .prefetch_related("codes")
        .order_by("level", "name", "pk")
    )
    for word in fold(filters.q).split():
        queryset = queryset.filter(search_name__contains=word)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.procedure:
        queryset = queryset.filter(procedures__code=filters.procedure.strip())
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(queryset[filters.offset : filters.offset + filters.limit]),
    }


class UnitFilterIn(QuerySchema):
    q: str | None = Field(
        None, max_length=200, description="name words, with or without diacritics"
    )
    level: UnitLevel | None = None
    parent: str | None = Field(
        None, max_length=8, description="code of the province whose communes to list"
    )
    structure: Structure = Field(
        Structure.TWO_LEVEL,
        description="two-level structure in force, or the old three-level one "
        "for historical addresses",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class UnitOut(Schema):
    id: int = Field(description="the value of ``applicant.unit`` in a new dossier")
    code: str
    name: str
    full_name: str
    level: UnitLevel
    structure: Structure
    parent_id: int | None


class UnitPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


@router.get(
    "/units",
    response={200: UnitPageOut, **ERRORS},
    summary="Administrative units (provinces and communes) for applicants' addresses",
    tags=["units"],
)
def unit_list_view(
    request: HttpRequest, filters: Query[UnitFilterIn]
) -> dict[str, Any]:
    """Find the ``id`` to give as an applicant's ``unit`` when receiving a dossier."""
    # Codes sort a province before its communes ("99" < "99001").
    queryset = AdministrativeUnit.objects.filter(structure=filters.structure).order_by(
        "code", "pk"
    )
    for word in fold(filters.q).split():
        queryset = queryset.filter(search_name__contains=word)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.parent:
        queryset = queryset.filter(parent__code=filters.parent.strip())
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(queryset[filters.offset : filters.offset + filters.limit]),
    }
