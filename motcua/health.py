"""
``/healthz``: one cheap answer for load balancers and monitoring.

The web process is alive when the database answers (200, else 503). The
legal obligations that can fail silently in the background are reported
beside it, as counts, so that an alarm can fire on them without the load
balancer taking healthy web workers out for a background problem: portal
updates not delivered within the 10 minutes Decree 118 Art.27 allows,
outbox rows given up on, and audit rows not sealed on time.
"""

from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.audit.models import AuditLog
from motcua.core.outbox import RETRYABLE_STATUSES, OutboxStatus
from motcua.integrations.models import PortalSyncMessage
from motcua.notifications.models import Notification

PORTAL_SYNC_LIMIT = timedelta(minutes=10)
# The seal job runs every 5 minutes; three missed runs is a problem.
AUDIT_SEAL_LIMIT = timedelta(minutes=15)


def background_backlog(now=None) -> dict[str, int]:
    """Counts of background work that is late; all zero on a healthy system."""
    now = now or timezone.now()
    return {
        "portal_sync_overdue": PortalSyncMessage.objects.filter(
            status__in=[*RETRYABLE_STATUSES, OutboxStatus.SENDING],
            created_at__lt=now - PORTAL_SYNC_LIMIT,
        ).count(),
        "outbox_dead": PortalSyncMessage.objects.filter(
            status=OutboxStatus.DEAD
        ).count()
        + Notification.objects.filter(status=OutboxStatus.DEAD).count(),
        "audit_unsealed_overdue": AuditLog.objects.filter(
            row_hash="", created_at__lt=now - AUDIT_SEAL_LIMIT
        ).count(),
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        backlog = background_backlog()
    except DatabaseError:
        return JsonResponse({"status": "down", "database": "unreachable"}, status=503)
    status = "degraded" if any(backlog.values()) else "ok"
    return JsonResponse({"status": status, "database": "ok", **backlog})
