"""
Official forms of a dossier as PDF (receipt Mẫu 01, supplement request,
refusal, apology, stop notice, control sheet…), rendered by ``motcua.forms``.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ninja import Path, Router

from .auth import require_staff
from .dossiers import dossier_for
from .errors import FeatureUnavailable
from .schemas import ERRORS, ErrorOut

router = Router(tags=["forms"])

_PDF = {
    "description": "The form as a PDF document",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def _renderer() -> Callable[..., bytes]:
    # Imported when used: the forms app is optional for the rest of the API.
    try:
        from motcua.forms.services import form_render_pdf
    except ModuleNotFoundError as error:
        if error.name not in ("motcua.forms", "motcua.forms.services"):
            raise
        raise FeatureUnavailable(
            _("Chức năng in biểu mẫu chưa có trong bản cài đặt này (motcua.forms)."),
            code="forms_unavailable",
        ) from None
    return form_render_pdf


@router.get(
    "/dossiers/{ref}/forms/{kind}.pdf",
    response={**ERRORS, 501: ErrorOut},
    openapi_extra={"responses": {200: _PDF}},
    summary="Download one of the dossier's official forms as PDF",
)
def dossier_form_view(
    request: HttpRequest,
    ref: str,
    kind: str = Path(..., pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$"),
) -> Any:
    """Staff only; ``ref`` as for the dossier. Unknown kinds are the forms app's 404."""
    caller = require_staff(request)
    dossier = dossier_for(caller, ref)
    pdf = _renderer()(dossier, kind, request_user=caller.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{dossier.code or dossier.pk}-{kind}.pdf"'
    )
    # Personal data: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
