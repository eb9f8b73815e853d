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
from datetime import timedelta
from typing import Any

from django.db import IntegrityError
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ninja import Header, Query, Router

from motcua.accounts.constants import Role
from motcua.accounts.selectors import user_agency_ids
from motcua.audit.services import access_record
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.core.net import client_ip
from motcua.dossiers.access import access_dossier_for_staff
from motcua.dossiers.constants import DossierAction
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
from .dossier_schemas import (
    DossierActionIn,
    DossierCreatedOut,
    DossierCreateIn,
    DossierDetailOut,
    DossierFilterIn,
    DossierPageOut,
    PageIn,
)
from .errors import PortalNotAllowed
from .idempotency import REPLAY_HEADER, idempotent
from .schemas import ERRORS, MAX_ID, ErrorOut, is_clean_text

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
# The portal's submission time: at most a year old (a dossier resent after a
# long outage), never ahead of our clock by more than a few minutes.
SUBMITTED_AT_PAST = timedelta(days=366)
CLOCK_SKEW = timedelta(minutes=5)

IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    description="A retry with the same key and body returns the first answer.",
)


# --- helpers -----------------------------------------------------------------


def _lookup(ref: str) -> dict[str, Any]:
    if _ID_REF.match(ref) and int(ref) <= MAX_ID:
        return {"pk": int(ref)}
    if 0 < len(ref) <= 64 and is_clean_text(ref):
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
    dossier.api_forms = [] if caller.is_portal else _forms_of(dossier)  # type: ignore[attr-defined]
    return dossier


def _forms_of(dossier: Dossier) -> list[dict[str, str]]:
    try:
        from motcua.forms.registry import forms_available_for
    except ModuleNotFoundError as error:  # the forms app is optional
        if error.name not in ("motcua.forms", "motcua.forms.registry"):
            raise
        return []
    ref = dossier.code or str(dossier.pk)
    return [
        {
            "kind": kind.code,
            "title": kind.title,
            "href": reverse(
                "api-v1:dossier_form_view", kwargs={"ref": ref, "kind": kind.code}
            ),
        }
        for kind in forms_available_for(dossier)
    ]


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
        now = timezone.now()
        if payload.submitted_at is not None and not (
            now - SUBMITTED_AT_PAST <= payload.submitted_at <= now + CLOCK_SKEW
        ):
            raise _field_error(
                "submitted_at",
                _("Thời điểm nộp phải trong năm qua và không ở tương lai."),
                "submitted_at_invalid",
            )
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


def _answer(status: int, text: str, replayed: bool) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="application/json")
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
) -> HttpResponse:
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
) -> HttpResponse:
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
