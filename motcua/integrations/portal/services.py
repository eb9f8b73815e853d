"""
Write services of the national portal sync: record an update in the outbox
with the dossier's change, deliver each dossier's updates in order, retry.

Legal basis: Decree 118/2025 Art.27(2)(c)–(d) (statuses and results synced to
the portal); Decree 63/2024 Art.7(4) (inter-system sync within 10 minutes of
a step), which is the latency the supervision reports measure.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.outbox import OutboxStatus, RetryPolicy
from motcua.dossiers.constants import PORTAL_STATUS_CODES
from motcua.dossiers.models import DossierEvent
from motcua.integrations.models import PortalSyncMessage

from .client import PortalClient, PortalError, get_portal_client
from .payload import is_synced, portal_code_of, portal_payload, sync_kind

logger = logging.getLogger(__name__)


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.PORTAL_SYNC_MAX_ATTEMPTS,
        base_seconds=settings.PORTAL_SYNC_RETRY_BASE_SECONDS,
        cap_seconds=settings.PORTAL_SYNC_RETRY_MAX_SECONDS,
    )


def portal_sync_record(event: DossierEvent) -> PortalSyncMessage | None:
    """
    Write the portal update for ``event`` in the current transaction and send
    it when the transaction commits. Return None for dossiers the portal does
    not follow (counter dossiers not yet received) or an event already recorded.
    """
    dossier = event.dossier
    if not is_synced(dossier):
        return None
    if PortalSyncMessage.objects.filter(event=event).exists():
        return None
    message = PortalSyncMessage.objects.create(
        dossier=dossier,
        event=event,
        kind=sync_kind(event),
        portal_code=portal_code_of(dossier),
        portal_status=PORTAL_STATUS_CODES[dossier.status],
        payload=portal_payload(dossier),
    )
    schedule_flush(dossier.pk)
    return message


def schedule_flush(dossier_id: int) -> None:
    """Enqueue the delivery task for the dossier when the transaction commits."""
    from motcua.integrations.tasks import portal_sync_flush as portal_sync_flush_task

    # robust: a queue that refuses the task must not undo the committed
    # change; the sweep delivers the row later anyway.
    transaction.on_commit(
        partial(portal_sync_flush_task.enqueue, dossier_id=dossier_id), robust=True
    )


@dataclass
class FlushResult:
    sent: int = 0
    failed: int = 0
    blocked: bool = False


def _head(dossier_id: int) -> PortalSyncMessage | None:
    return (
        PortalSyncMessage.objects.filter(dossier_id=dossier_id)
        .exclude(status=OutboxStatus.SENT)
        .order_by("pk")
        .first()
    )


def portal_sync_flush(
    dossier_id: int,
    *,
    client: PortalClient | None = None,
    now: datetime | None = None,
) -> FlushResult:
    """
    Deliver the dossier's pending updates in order, stopping at the first one
    that is not due, is held by another sender, or fails: a later update never
    overtakes an earlier one.
    """
    result = FlushResult()
    client = client or get_portal_client()
    if not client.configured:
        # Kept in the outbox: delivered once the portal is configured.
        return result
    while (head := _head(dossier_id)) is not None:
        if head.status == OutboxStatus.DEAD:
            result.blocked = True
            break
        if not head.claim(now=now):
            break
        try:
            ack = client.push(head.payload, idempotency_key=head.idempotency_key)
        except PortalError as error:
            head.mark_failed(
                str(error), policy=retry_policy(), retryable=error.retryable
            )
            logger.warning("Portal sync %s failed: %s", head.pk, error)
            result.failed += 1
            break
        sent_at = timezone.now()
        head.mark_sent(
            now=sent_at,
            response=ack.response,
            duplicate_ack=ack.duplicate,
            latency_seconds=max(0.0, (sent_at - head.created_at).total_seconds()),
        )
        result.sent += 1
    return result


def portal_sync_send_due(
    *, client: PortalClient | None = None, now: datetime | None = None, limit: int = 500
) -> FlushResult:
    """
    Flush every dossier with an update whose (re)try time has come, oldest
    first (the sweep's retry job).
    """
    now = now or timezone.now()
    total = FlushResult()
    client = client or get_portal_client()
    if not client.configured:
        return total
    # Dossiers behind a dead update wait for a person, not for the sweep.
    blocked = PortalSyncMessage.objects.filter(status=OutboxStatus.DEAD).values(
        "dossier_id"
    )
    dossier_ids = list(
        PortalSyncMessage.due(now=now)
        .exclude(dossier_id__in=blocked)
        .order_by("next_attempt_at", "pk")
        .values_list("dossier_id", flat=True)[: limit * 4]
    )
    seen: set[int] = set()
    for dossier_id in dossier_ids:
        if dossier_id in seen:
            continue
        seen.add(dossier_id)
        if len(seen) > limit:
            break
        result = portal_sync_flush(dossier_id, client=client, now=now)
        total.sent += result.sent
        total.failed += result.failed
    return total


def portal_sync_retry(queryset: QuerySet[PortalSyncMessage]) -> int:
    """Put failed or dead updates back in the queue (the admin's action)."""
    dossier_ids = set(
        queryset.filter(
            status__in=[OutboxStatus.FAILED, OutboxStatus.DEAD]
        ).values_list("dossier_id", flat=True)
    )
    count = PortalSyncMessage.retry_now(queryset)
    for dossier_id in dossier_ids:
        schedule_flush(dossier_id)
    return count
