"""The notifications' consumer of dossier events (MOTCUA_DOSSIER_EVENT_CONSUMERS)."""

from motcua.core.outbox import is_outbox_suppressed
from motcua.dossiers.models import DossierEvent

from .services import notifications_for_event


def notify_on_event(event: DossierEvent) -> None:
    """
    Write the messages ``event`` calls for, inside the dossier's transaction;
    each is sent by a task once the transaction commits.
    """
    if not is_outbox_suppressed():
        notifications_for_event(event)
