"""
The outbox pattern shared by every outbound channel (portal sync, e-mail, SMS).

A row is written in the same transaction as the change it reports, so an
accepted change is never lost; a sender delivers it later, at least once,
claiming the row first so that two senders (the on-commit task and the
periodic sweep) never deliver it at the same time. Failures are retried with
exponential backoff and jitter up to a maximum number of attempts, after
which the row is ``dead`` and waits for a person (the admin's retry action).
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BaseModel

_suppressed: ContextVar[bool] = ContextVar("motcua_outbox_suppressed", default=False)


@contextmanager
def outbox_suppressed() -> Iterator[None]:
    """
    Write no outbox rows inside the block: for replaying synthetic history
    (seed-demo), which must not notify anyone nor be synced. Never for real
    changes: those must reach the portal and the applicant.
    """
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_outbox_suppressed() -> bool:
    return _suppressed.get()


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Lỗi, sẽ gửi lại")
    DEAD = "dead", _("Đã dừng gửi (cần xử lý)")


# Rows a sender may pick up (``sending`` only when its claim has lapsed).
RETRYABLE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.FAILED)
# A claim older than this is taken to belong to a sender that died mid-way.
CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """
    Exponential backoff with "equal jitter": the n-th failure waits between
    half and all of ``base × 2^(n-1)``, capped, so that many rows failing
    together do not all come back at the same instant.
    """

    max_attempts: int
    base_seconds: float
    cap_seconds: float

    def delay(self, attempts: int, *, rng: random.Random | None = None) -> timedelta:
        """Return the wait after the ``attempts``-th failed attempt (1-based)."""
        exponent = max(0, attempts - 1)
        ceiling = min(self.cap_seconds, self.base_seconds * (2**exponent))
        draw = (rng or _rng).uniform(ceiling / 2, ceiling)
        return timedelta(seconds=draw)

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


_rng = random.SystemRandom()


class OutboxMessage(BaseModel):
    """Delivery state of one outbound message; concrete models add the content."""

    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), default=timezone.now)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)

    class Meta:
        abstract = True

    def claim(self, *, now: datetime | None = None) -> bool:
        """
        Take the row for one delivery attempt; return False if another sender
        holds it, it was delivered meanwhile, or it is not due yet.

        A single conditional UPDATE, so two senders cannot both win.
        """
        now = now or timezone.now()
        manager = type(self)._default_manager
        taken = manager.filter(
            Q(status__in=RETRYABLE_STATUSES)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE),
            pk=self.pk,
            next_attempt_at__lte=now,
        ).update(
            status=OutboxStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        if taken:
            self.refresh_from_db(fields=["status", "claimed_at", "attempts"])
        return bool(taken)

    def mark_sent(self, *, now: datetime | None = None, **fields: Any) -> None:
        """Record a successful delivery (and any extra ``fields``)."""
        now = now or timezone.now()
        self.status = OutboxStatus.SENT
        self.sent_at = now
        self.last_error = ""
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(
            update_fields=["status", "sent_at", "last_error", "updated_at", *fields]
        )

    def mark_failed(
        self,
        error: str,
        *,
        policy: RetryPolicy,
        retryable: bool = True,
        now: datetime | None = None,
    ) -> None:
        """
        Record a failed attempt: retry after the policy's backoff, or give up
        (``dead``) when the error cannot heal or the attempts are used up.
        """
        now = now or timezone.now()
        self.last_error = error[:2000]
        if not retryable or policy.gives_up_after(self.attempts):
            self.status = OutboxStatus.DEAD
        else:
            self.status = OutboxStatus.FAILED
            self.next_attempt_at = now + policy.delay(self.attempts)
        self.save(
            update_fields=["status", "last_error", "next_attempt_at", "updated_at"]
        )

    @classmethod
    def due(cls, *, now: datetime | None = None) -> models.QuerySet:
        """Return the rows a sender should try now (including lapsed claims)."""
        now = now or timezone.now()
        return cls._default_manager.filter(
            Q(status__in=RETRYABLE_STATUSES, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE)
        )

    @classmethod
    def retry_now(
        cls, queryset: models.QuerySet, *, now: datetime | None = None
    ) -> int:
        """
        Put failed or dead rows back in the queue with a fresh attempt budget
        (the administrator's "retry" action). Return the number of rows.
        """
        now = now or timezone.now()
        return queryset.filter(
            status__in=[OutboxStatus.FAILED, OutboxStatus.DEAD]
        ).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_at=None,
            updated_at=now,
        )
