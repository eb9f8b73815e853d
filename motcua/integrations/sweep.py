"""
The periodic sweep (``motcua sweep``, from cron or a systemd timer every few
minutes): the time-driven rules that no user action triggers.

Each job is a callable ``job(*, now) -> dict``, listed in MOTCUA_SWEEP_JOBS so
that other modules can add theirs. A failing job is logged and does not stop
the others. Every job is safe to rerun and to run twice at once: closures go
through the dossier service (which refuses a second closure), reminders are
registered once per threshold, and outbox rows are claimed before sending.

The sweep delivers due outbox rows itself rather than enqueueing tasks: it is
the safety net for when the task queue or its worker is not running.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.exceptions import DomainError
from motcua.dossiers.access import SWEEP
from motcua.dossiers.constants import DossierAction, DossierStatus
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.services import dossier_apply_action

logger = logging.getLogger(__name__)


def close_unsupplemented(*, now: datetime) -> dict[str, Any]:
    """
    Close dossiers whose supplement was not supplied within 15 days of the
    request (Decree 118/2025 Art.19(5)), as the system actor.
    """
    overdue = (
        SupplementRequest.objects.filter(
            supplied_at__isnull=True,
            closed_at__isnull=True,
            respond_by__lte=now,
            dossier__status=DossierStatus.NEEDS_SUPPLEMENT,
        )
        .select_related("dossier")
        .order_by("respond_by", "pk")
    )
    dossiers: dict[int, Dossier] = {}
    for request in overdue:
        dossiers.setdefault(request.dossier_id, request.dossier)
    closed, refused = [], []
    for dossier_id, dossier in dossiers.items():
        try:
            dossier_apply_action(
                dossier=dossier,
                action=DossierAction.CLOSE_UNSUPPLEMENTED,
                actor=SWEEP,
                now=now,
            )
        except DomainError as error:
            # Changed meanwhile (supplied, or closed by another run).
            refused.append(dossier_id)
            logger.info("Not closing dossier %s: %s", dossier_id, error.code)
        else:
            closed.append(dossier_id)
    return {"closed": len(closed), "skipped": len(refused)}


def send_reminders(*, now: datetime) -> dict[str, Any]:
    """Acceptance alerts and due-soon/overdue reminders, once per threshold."""
    from motcua.notifications.reminders import reminders_send_due

    report = reminders_send_due(now=now)
    return {**report.sent, "notifications": report.notifications}


def retry_portal_sync(*, now: datetime) -> dict[str, Any]:
    """Deliver the portal updates whose (re)try time has come, in order."""
    from .portal.services import portal_sync_send_due

    result = portal_sync_send_due(now=now)
    return {"sent": result.sent, "failed": result.failed}


def retry_notifications(*, now: datetime) -> dict[str, Any]:
    """Send the notifications whose (re)try time has come."""
    from motcua.notifications.services import notifications_send_due

    return {"tried": notifications_send_due(now=now)}


def expire_payments(*, now: datetime) -> dict[str, Any]:
    """Payment intents not paid in time are closed, so a new one can start."""
    from motcua.payments.services import payment_intents_expire

    return {"expired": payment_intents_expire(now=now)}


def prune_idempotency_keys(*, now: datetime) -> dict[str, Any]:
    """Forget stored API answers older than a week: retries come within minutes."""
    from motcua.core.models import IdempotencyRecord

    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=now - timedelta(days=7)
    ).delete()
    return {"deleted": deleted}


def seal_audit_log(*, now: datetime) -> dict[str, Any]:
    """Chain the audit rows written since the last run (SHA-256, see audit.models)."""
    from motcua.audit.services import audit_seal

    return {"sealed": audit_seal()}


def sweep_run(
    *, now: datetime | None = None, only: list[str] | None = None
) -> dict[str, Any]:
    """Run the sweep's jobs (or the ``only`` ones, by name); return their reports."""
    report: dict[str, Any] = {}
    for path in settings.MOTCUA_SWEEP_JOBS:
        name = path.rsplit(".", 1)[-1]
        if only and name not in only:
            continue
        try:
            job = import_string(path)
            # The clock is read again for each job, so that the work an
            # earlier job created (a closure's messages) is due for the next.
            report[name] = job(now=now or timezone.now())
        except Exception as error:
            logger.exception("Sweep job %s failed", name)
            report[name] = {"error": f"{type(error).__name__}: {error}"}
    return report
