"""
Drive dossiers of the small province (``motcua.testing.province``) through
the real services at chosen instants, for tests that need dossiers in a
known state: received, resolved, returned, late, stopped…
"""

from datetime import datetime

import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_apply_action, dossier_create

from .province import SmallProvince, all_components, applicant


def at(*args: int) -> datetime:
    """Return a Hanoi-time instant: ``at(2026, 3, 2, 9)``."""
    return datetime(*args, tzinfo=LOCAL_TZ)


def act(p: SmallProvince, dossier, action, who, when: datetime, **data):
    """Apply ``action`` as ``who`` (a user key of ``p.users`` or an actor) at ``when``."""
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier,
            action=action,
            actor=p.users[who] if isinstance(who, str) else who,
            data=data,
        )


def receive(
    p: SmallProvince,
    procedure: str = "residence",
    *,
    when: datetime,
    channel: str = "counter",
    centre=None,
    competent=None,
    reception: str = "reception_a",
    source: str = "paper",
    components: list[dict] | None = None,
    **kwargs,
):
    """Receive a dossier of ``procedure`` at ``when`` (the counter flow)."""
    version = p.procedures[procedure]
    default_competent = {
        "residence": p.police_a,
        "birth": p.committee_a,
        "group": p.committee_a,
    }[procedure]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel=channel,
            receiving_centre=centre or p.centre_a,
            competent_agency=competent or default_competent,
            applicant=applicant(**kwargs.pop("applicant", {})),
            components=components
            if components is not None
            else all_components(version, source),
            actor=p.users[reception],
            receive=True,
            **kwargs,
        )


def resolve_residence(
    p: SmallProvince,
    dossier,
    *,
    handed: datetime,
    appraised: datetime,
    resolved: datetime,
    reception: str = "reception_a",
):
    """Take a residence dossier through its steps to ``resolved``."""
    dossier = act(p, dossier, A.COMPLETE_STEP, reception, handed)
    dossier = act(
        p, dossier, A.ASSIGN, "police_lead_a", handed, assignee=p.users["police_a"].pk
    )
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", appraised)
    return act(
        p, dossier, A.RESOLVE, "police_lead_a", resolved, result_summary="Đã đăng ký"
    )


def returned_residence(
    p: SmallProvince,
    *,
    received: datetime,
    resolved: datetime,
    returned: datetime | None = None,
):
    """Return a residence dossier received at ``received``, resolved and handed back."""
    dossier = receive(p, when=received)
    dossier = resolve_residence(
        p, dossier, handed=received, appraised=resolved, resolved=resolved
    )
    return act(
        p,
        dossier,
        A.RETURN_RESULT,
        "reception_a",
        returned or resolved,
        collect_fees=True,
    )
