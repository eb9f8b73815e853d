"""Add components to a dossier after submission (e.g. taken from the personal data store)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import RuleViolation
from motcua.dossiers.constants import FINAL_STATUSES
from motcua.dossiers.models import Dossier, DossierComponent

from .handlers import component_rows


@transaction.atomic
def dossier_components_add(
    dossier: Dossier, items: list[dict[str, Any]]
) -> list[DossierComponent]:
    """
    Validate and add component rows (same shape as ``dossier_create``'s
    ``components``) to an open dossier; return the rows created.
    """
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status in FINAL_STATUSES or dossier.resolved_at is not None:
        raise RuleViolation(
            _("Hồ sơ đã kết thúc; không bổ sung thành phần."), code="dossier_closed"
        )
    return DossierComponent.objects.bulk_create(component_rows(dossier, items))
