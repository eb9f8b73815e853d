"""
The national portal's own delivery format (legal-spec §3.4 field names:
MaHoSo, MaTTHC, ChuHoSo, TaiLieuNop…), for the portal connector: the same
dossier_create behind it as ``POST /dossiers``, idempotent on ``MaHoSo``.
"""

from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Body, Router

from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.integrations.portal.inbound import portal_dossier_create

from .auth import Caller
from .dossier_schemas import DossierCreatedOut
from .dossiers import IdempotencyKey, _answer, detail_of
from .idempotency import idempotent
from .schemas import ERRORS, ErrorOut

router = Router(tags=["portal"])


@router.post(
    "/portal/dossiers",
    response={200: DossierCreatedOut, 201: DossierCreatedOut, 409: ErrorOut, **ERRORS},
    summary="Take in an online dossier in the national portal's format",
)
def portal_dossier_create_view(
    request: HttpRequest,
    payload: dict[str, Any] = Body(...),  # noqa: B008 - ninja's way to declare a free JSON body
    idempotency_key: str | None = IdempotencyKey,
) -> HttpResponse:
    """
    Portal token only. The body uses the portal's field names; field errors
    come back under those names. A dossier already delivered (same MaHoSo)
    is answered with 200 and left unchanged; a new one with 201.
    """
    caller: Caller = request.auth  # type: ignore[attr-defined]
    if not caller.is_portal:
        raise PermissionDenied(
            _("Chỉ Cổng Dịch vụ công quốc gia gửi hồ sơ theo định dạng này."),
            code="portal_only",
        )

    def produce() -> tuple[int, dict[str, Any]]:
        portal_id = str(payload.get("MaHoSo", "")) if isinstance(payload, dict) else ""
        existing = (
            Dossier.objects.filter(portal_id=portal_id).first() if portal_id else None
        )
        if existing is not None:
            status, dossier = 200, existing
        else:
            try:
                status, dossier = 201, portal_dossier_create(payload)
            except IntegrityError:
                # Two deliveries at once: portal_id is unique, one got in.
                dossier = Dossier.objects.filter(portal_id=portal_id).first()
                if dossier is None:
                    raise
                status = 200
        body = DossierCreatedOut.from_orm(detail_of(caller, dossier))
        return status, body.model_dump(mode="json")

    return _answer(*idempotent(request, caller, produce))
