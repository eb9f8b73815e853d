"""
Reads about the national portal sync: health and latency for supervision,
reconciliation with what the portal holds, and the procedures the portal
simulator may submit.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.core.outbox import OutboxStatus
from motcua.dossiers.constants import PORTAL_STATUS_CODES
from motcua.dossiers.models import Dossier
from motcua.integrations.models import PortalSyncMessage
from motcua.units.constants import AgencyKind, AgencyLevel
from motcua.units.models import Agency

from .client import PortalClient, PortalError, get_portal_client
from .payload import portal_code_of, portal_time

# Decree 63/2024 Art.7(4): inter-system sync within 10 minutes of a step.
SYNC_SLA_SECONDS = 10 * 60


@dataclass
class SyncHealth:
    """The state of the portal outbox and the latency of recent deliveries."""

    pending: int
    failed: int
    dead: int
    sending: int
    oldest_unsent_at: datetime | None
    sent: int
    latency_p50: float | None
    latency_p95: float | None
    latency_max: float | None
    within_sla: int
    since: datetime

    @property
    def within_sla_ratio(self) -> float | None:
        return self.within_sla / self.sent if self.sent else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    rank = max(0, math.ceil(share * len(values)) - 1)
    return values[rank]


def portal_sync_health(
    *, since: datetime | None = None, now: datetime | None = None
) -> SyncHealth:
    """
    Return the outbox counts now and the sync latency (sent_at − created_at)
    of the updates delivered since ``since`` (default: the last 24 hours).
    """
    now = now or timezone.now()
    since = since or now - timedelta(days=1)
    counts = dict(
        PortalSyncMessage.objects.exclude(status=OutboxStatus.SENT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    oldest = PortalSyncMessage.objects.exclude(status=OutboxStatus.SENT).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    latencies: list[float] = sorted(
        value
        for value in PortalSyncMessage.objects.filter(
            status=OutboxStatus.SENT, sent_at__gte=since
        ).values_list("latency_seconds", flat=True)
        if value is not None
    )
    return SyncHealth(
        pending=counts.get(OutboxStatus.PENDING, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        dead=counts.get(OutboxStatus.DEAD, 0),
        sending=counts.get(OutboxStatus.SENDING, 0),
        oldest_unsent_at=oldest,
        sent=len(latencies),
        latency_p50=_percentile(latencies, 0.5),
        latency_p95=_percentile(latencies, 0.95),
        latency_max=latencies[-1] if latencies else None,
        within_sla=sum(1 for v in latencies if v <= SYNC_SLA_SECONDS),
        since=since,
    )


@dataclass
class ReconcileRow:
    """One dossier whose portal record differs from ours."""

    dossier: Dossier
    portal_code: str
    our_status: int
    portal_status: int | None
    problems: list[str] = field(default_factory=list)
    unsent: int = 0
    error: str = ""

    @property
    def explained_by_pending_sync(self) -> bool:
        """True when updates still in the outbox account for the difference."""
        return self.unsent > 0 and not self.error


def synced_dossiers(*, since: datetime | None = None) -> QuerySet[Dossier]:
    """Return the dossiers the portal follows (online or received), by update."""
    qs = Dossier.objects.filter(Q(channel="online") | Q(received_at__isnull=False))
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    return qs.order_by("pk")


def portal_reconcile(
    *,
    dossiers: QuerySet[Dossier] | None = None,
    client: PortalClient | None = None,
) -> list[ReconcileRow]:
    """
    Compare each dossier's status and due time with the portal's record and
    return the ones that differ (missing on the portal, another status,
    another NgayHenTra, or the portal could not be asked).
    """
    client = client or get_portal_client()
    dossiers = synced_dossiers() if dossiers is None else dossiers
    unsent = dict(
        PortalSyncMessage.objects.exclude(status=OutboxStatus.SENT)
        .values_list("dossier_id")
        .annotate(n=Count("pk"))
        .values_list("dossier_id", "n")
    )
    rows = []
    for dossier in dossiers.iterator(chunk_size=500):
        code = portal_code_of(dossier)
        ours = PORTAL_STATUS_CODES[dossier.status]
        row = ReconcileRow(dossier, code, ours, None, unsent=unsent.get(dossier.pk, 0))
        try:
            record = client.fetch(code) if code else None
        except PortalError as error:
            row.error = str(error)
            row.problems.append("error")
            rows.append(row)
            continue
        if record is None:
            row.problems.append("missing")
        else:
            row.portal_status = _as_int(record.get("TrangThaiHoSo"))
            if row.portal_status != ours:
                row.problems.append("status")
            if (record.get("NgayHenTra") or None) != portal_time(dossier.due_at):
                row.problems.append("due")
        if row.problems:
            rows.append(row)
    return rows


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _centres_for(agency: Agency, centres: list[Agency]) -> list[Agency]:
    local = [
        c for c in centres if c.administrative_unit_id == agency.administrative_unit_id
    ]
    return local or [c for c in centres if c.level == AgencyLevel.PROVINCE]


def _place(centre: Agency) -> str:
    unit = centre.administrative_unit
    parent = unit.parent
    return f"{unit.full_name}, {parent.full_name}" if parent else unit.full_name


def portal_submission_catalog() -> list[dict[str, Any]]:
    """
    Return what the portal simulator may submit: each published procedure
    offered online, with (centre, competent agency) pairs by electronic id
    and the required components. Plain data: the simulator has no database.
    """
    centres = list(
        Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE, is_active=True)
        .select_related("administrative_unit__parent")
        .prefetch_related("codes")
    )
    versions = (
        ProcedureVersion.objects.published()
        .select_related("procedure__sector")
        .prefetch_related("components", "procedure__agencies__codes")
        .order_by("procedure__code")
    )
    by_kind: dict[tuple[str, str], list[Agency]] = {}
    catalog = []
    for version in versions:
        if version.channels and "online" not in version.channels:
            continue
        agencies = [a for a in version.procedure.agencies.all() if a.is_active]
        if not agencies and version.competent_agency_kind:
            key = (version.competent_agency_kind, version.competent_branch or "")
            if key not in by_kind:
                by_kind[key] = list(
                    Agency.objects.filter(
                        kind=key[0], branch=key[1], is_active=True
                    ).prefetch_related("codes")
                )
            agencies = by_kind[key]
        pairs = [
            {
                "DonViXuLy": agency.current_code,
                "NoiNopHoSo": centre.current_code,
                "DiaBan": _place(centre),
            }
            for agency in agencies
            for centre in _centres_for(agency, centres)
            if agency.current_code and centre.current_code
        ]
        if not pairs:
            continue
        catalog.append(
            {
                "MaTTHC": version.procedure.code,
                "TenTTHC": version.name,
                "pairs": pairs,
                "TaiLieuNop": [
                    {"MaThanhPhanHoSo": c.code, "TenThanhPhanHoSo": c.name}
                    for c in version.components.all()
                    if c.required
                ],
            }
        )
    return catalog
