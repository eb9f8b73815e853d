"""Dossiers brought to a state through the services, for tests of side effects."""

from datetime import datetime

import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.access import PORTAL
from motcua.dossiers.services import dossier_apply_action, dossier_create

from .province import SmallProvince, all_components, applicant


def at(*args: int) -> datetime:
    """Return a local (Asia/Ho_Chi_Minh) moment."""
    return datetime(*args, tzinfo=LOCAL_TZ)


def receive_residence(p: SmallProvince, *, when: datetime, **applicant_fields):
    """Receive a permanent-residence dossier at the counter of centre A."""
    version = p.procedures["residence"]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(**applicant_fields),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )


def submit_online(p: SmallProvince, *, when: datetime, portal_id: str, **fields):
    """Submit a permanent-residence dossier online, as the portal does."""
    version = p.procedures["residence"]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(**fields),
            components=all_components(version, source="uploaded"),
            actor=PORTAL,
            portal_id=portal_id,
            return_method="online",
        )


def act(p: SmallProvince, dossier, action, who, when: datetime, **data):
    """Apply ``action`` as the user named ``who`` (or an actor) at ``when``."""
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier,
            action=action,
            actor=p.users[who] if isinstance(who, str) else who,
            data=data,
        )
