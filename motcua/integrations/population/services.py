"""
Look a citizen up in the national population database.

Every lookup is written to the personal-data access log (purpose "lookup"),
which the citizen sees; a lookup for a dossier names the dossier there. This
module does not write dossier tables: the caller records the reuse on the
dossier (see ``base`` for how).
"""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffMembership
from motcua.audit.models import AccessPurpose
from motcua.audit.services import access_record
from motcua.core.exceptions import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from motcua.core.registry import Registry
from motcua.dossiers.access import SystemActor
from motcua.dossiers.models import Dossier
from motcua.dossiers.querysets import staff_scope

from . import idnumbers
from .base import BasePopulationSource, PersonRecord
from .registry import registry as default_registry

_WHAT = (
    "CSDL quốc gia về dân cư: họ tên, ngày sinh, giới tính, nơi thường trú, hộ gia đình"
)


def _log_agency(actor: Any, dossier: Dossier | None) -> Any:
    # The unit the officer looked it up for: the dossier's centre or agency
    # if they work there, else their only unit.
    memberships = StaffMembership.objects.active().filter(user=actor)
    if dossier is not None:
        for agency_id in (dossier.receiving_centre_id, dossier.competent_agency_id):
            membership = memberships.filter(agency_id=agency_id).first()
            if membership is not None:
                return membership.agency
    units = list(memberships.select_related("agency")[:2])
    return units[0].agency if len(units) == 1 else None


def population_lookup(
    id_number: str,
    *,
    actor: Any,
    purpose: str,
    dossier: Dossier | None = None,
    source: str | None = None,
    registry: Registry[BasePopulationSource] | None = None,
    ip_address: str | None = None,
) -> PersonRecord | None:
    """
    Return the citizen with ``id_number`` from the population database, or
    None if it has no such person.

    ``actor`` is a staff member (who must see ``dossier`` when one is given);
    ``purpose`` says why, in words, and goes to the access log with the
    outcome. Raise ValidationFailed for a malformed number and a
    PopulationUnavailable subclass when the database cannot answer (down,
    too slow, our key refused); the attempt is logged either way.
    """
    number = idnumbers.normalize(id_number)
    if not idnumbers.is_well_formed(number):
        raise ValidationFailed(
            _("Số định danh cá nhân phải gồm 12 chữ số."), code="id_number_invalid"
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed(
            _("Phải nêu mục đích tra cứu dữ liệu cá nhân."), code="purpose_required"
        )
    if isinstance(actor, SystemActor) or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(code="lookup_not_permitted")
    province_wide, units = staff_scope(actor)
    if not (province_wide or units) or not actor.is_active:
        raise PermissionDenied(code="lookup_not_permitted")
    if (
        dossier is not None
        and not Dossier.objects.visible_to(actor).filter(pk=dossier.pk).exists()
    ):
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    plugin_id = source or settings.POPULATION_SOURCE
    try:
        plugin = (registry or default_registry).get(plugin_id)
    except KeyError:
        raise ValidationFailed(
            code="population_source_unknown", extra={"source": plugin_id}
        ) from None
    now = timezone.now()
    outcome = "lỗi"
    record = None
    try:
        record = plugin.lookup(number)
        outcome = "có dữ liệu" if record is not None else "không có dữ liệu"
    except DomainError as error:
        outcome = f"lỗi {error.code}"
        raise
    finally:
        log = access_record(
            actor=actor,
            subject_id_number=number,
            what=f"{_WHAT} – {purpose} ({outcome})",
            purpose=AccessPurpose.LOOKUP,
            dossier=dossier,
            agency=_log_agency(actor, dossier),
            ip_address=ip_address,
        )
    if record is None:
        return None
    return record.stamped(at=now, access_log_id=log.pk)
