"""
Where documents meet the dossier lifecycle: reuse at reception and signing
the result at resolution. Configured in settings (MOTCUA_RECEPTION_HOOKS,
MOTCUA_RESOLVE_CHECKS) and called by the interfaces, so that motcua.dossiers
does not import this app.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import RuleViolation
from motcua.dossiers.constants import ComponentSource, DossierAction
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_components_add

from .constants import CERTIFIED_COPY_RESULT_TYPE, DossierFileKind
from .models import DossierFile, ResultDocument
from .services import (
    certified_copy_issue,
    component_reuse,
    dossier_components_reuse_from_store,
    result_issue,
    store_find_for_component,
)


def reception_reuse_from_store(dossier: Dossier, *, actor: Any) -> list:
    """
    Take from the applicant's personal data store every component the
    dossier lacks, and every paper component the store holds (Decree 118
    Art.5(1)(i), 17(1)(b)): nothing the state holds is asked again.
    """
    present = set(
        dossier.components.exclude(component__isnull=True).values_list(
            "component_id", flat=True
        )
    )
    missing = [
        c for c in dossier.procedure_version.components.all() if c.pk not in present
    ]
    reused = []
    for component in missing:
        entry = store_find_for_component(dossier.applicant_id_number, component)
        if entry is None:
            continue
        (row,) = dossier_components_add(
            dossier,
            [
                {
                    "component": component.pk,
                    "source": ComponentSource.REUSED,
                    "reuse_reference": entry.document_code,
                }
            ],
        )
        reused.append(component_reuse(row, entry, actor=actor))
    return reused + dossier_components_reuse_from_store(dossier, actor=actor)


def _scanned_original(dossier: Dossier):
    """The original scanned at the counter, which a certified copy reproduces."""
    scan = (
        DossierFile.objects.filter(
            dossier=dossier, kind=DossierFileKind.SCAN, is_current=True
        )
        .select_related("file")
        .order_by("pk")
        .first()
    )
    if scan is None:
        raise RuleViolation(
            _(
                "Chưa số hóa bản chính cần chứng thực; hãy quét bản chính tại quầy trước."
            ),
            code="original_not_scanned",
        )
    return scan.file


def main_result_type(dossier: Dossier) -> str:
    """Return the result-type code an approved dossier is issued under."""
    version = dossier.procedure_version
    first = version.result_types.order_by("pk").first()
    return first.code if first is not None else ""


@transaction.atomic
def dossier_resolve_with_result(
    dossier: Dossier,
    *,
    actor: Any,
    result_summary: str = "",
    fields: dict[str, Any] | None = None,
    pdf_bytes: bytes | None = None,
    original: Any = None,
    expected_version: int | None = None,
) -> Dossier:
    """
    Sign the dossier's e-result and resolve it, in one step for the officer:
    the certified copy of the original for a certification procedure, else
    the result of the procedure's main result type (rendered, or ``pdf_bytes``).
    An e-result already issued for the dossier is kept.
    """
    code = main_result_type(dossier)
    current = ResultDocument.objects.filter(
        dossier=dossier, superseded_at__isnull=True
    ).exists()
    if code and not current:
        if code == CERTIFIED_COPY_RESULT_TYPE:
            original = original if original is not None else _scanned_original(dossier)
            certified_copy_issue(
                dossier,
                original=original,
                actor=actor,
                document_name=(fields or {}).get("ten_giay_to") or dossier.summary,
            )
        else:
            extra = dict(fields or {})
            if result_summary:
                extra.setdefault("trich_yeu", result_summary)
            result_issue(
                dossier,
                actor=actor,
                result_type_code=code,
                fields=extra,
                pdf_bytes=pdf_bytes,
            )
    return dossier_apply_action(
        dossier=dossier,
        action=DossierAction.RESOLVE,
        actor=actor,
        data={"result_summary": result_summary},
        expected_version=expected_version,
    )
