"""The portal sync's consumer of dossier events (MOTCUA_DOSSIER_EVENT_CONSUMERS)."""

from motcua.core.outbox import is_outbox_suppressed
from motcua.dossiers.models import DossierEvent

from .services import portal_sync_record


def portal_sync_on_event(event: DossierEvent) -> None:
    """
    Write the portal update for ``event`` inside the dossier's transaction,
    so that an accepted change is never lost; it is sent after the commit.
    """
    if not is_outbox_suppressed():
        portal_sync_record(event)
