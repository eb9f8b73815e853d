"""Write and seal the audit log, and record reads of personal data."""

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AccessPurpose, AuditLog, DataAccessLog

GENESIS = "0" * 64


def audit_record(
    *,
    event_type: str,
    actor: Any = None,
    target: Any = None,
    target_type: str = "",
    target_id: str = "",
    extra: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Append an audit row; it is sealed into the hash chain later."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    return AuditLog.objects.create(
        event_type=event_type,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor is not None else "",
        target_type=target_type,
        target_id=target_id,
        extra_data=extra or {},
        ip_address=ip_address,
    )


def _digest(previous: str, row: AuditLog) -> str:
    payload = json.dumps(
        [
            previous,
            row.pk,
            row.event_type,
            row.actor_id,
            row.target_type,
            row.target_id,
            row.extra_data,
            row.created_at.isoformat(),
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def audit_seal(*, older_than_seconds: int = 5, batch: int = 5000) -> int:
    """
    Chain unsealed rows in id order; return how many were sealed.

    Rows younger than ``older_than_seconds`` wait for the next run, so that a
    transaction still committing cannot slip in behind a sealed row.
    """
    last = (
        AuditLog.objects.select_for_update()
        .exclude(row_hash="")
        .order_by("-pk")
        .first()
    )
    previous = last.row_hash if last else GENESIS
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    rows = list(
        AuditLog.objects.filter(
            row_hash="", created_at__lt=cutoff, pk__gt=last.pk if last else 0
        ).order_by("pk")[:batch]
    )
    for row in rows:
        row.previous_hash = previous
        row.row_hash = previous = _digest(previous, row)
    AuditLog.objects.bulk_update(rows, ["previous_hash", "row_hash"], batch_size=1000)
    return len(rows)


def audit_verify() -> tuple[bool, int, str]:
    """
    Walk the sealed chain. Return (intact, rows checked, reason of the first break).
    """
    previous = GENESIS
    checked = 0
    for row in (
        AuditLog.objects.exclude(row_hash="").order_by("pk").iterator(chunk_size=2000)
    ):
        if row.previous_hash != previous:
            return (
                False,
                checked,
                f"row {row.pk}: previous hash does not match (a row was removed)",
            )
        if _digest(previous, row) != row.row_hash:
            return (
                False,
                checked,
                f"row {row.pk}: content does not match its hash (the row was edited)",
            )
        previous = row.row_hash
        checked += 1
    return True, checked, ""


def access_record(
    *,
    actor: Any,
    subject_id_number: str,
    what: str,
    purpose: str = AccessPurpose.PROCESSING,
    dossier: Any = None,
    agency: Any = None,
    ip_address: str | None = None,
) -> DataAccessLog:
    """Record that ``actor`` read personal data of ``subject_id_number``."""
    return DataAccessLog.objects.create(
        dossier_id=getattr(dossier, "pk", None),
        dossier_code=getattr(dossier, "code", "") or "",
        subject_id_number=subject_id_number or "",
        actor=actor if getattr(actor, "pk", None) else None,
        agency=agency,
        purpose=purpose,
        what=what[:255],
        ip_address=ip_address,
    )
