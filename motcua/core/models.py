"""Abstract base models shared by every domain app."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Creation and update timestamps for every row."""

    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """
    The first answer to a request sent with an ``Idempotency-Key`` header.

    A retry with the same key and the same body gets the stored answer and
    creates nothing; the same key with a different body is refused.
    """

    key = models.CharField(max_length=128)
    scope = models.CharField(
        max_length=150, help_text="caller identity (user or token)"
    )
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("khóa chống trùng lặp")
        verbose_name_plural = _("khóa chống trùng lặp")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="idempotency_key_unique_per_caller"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class SequenceCounter(models.Model):
    """
    A named counter allocated under a row lock: dossier codes per agency and
    day (Decree 118 Art.28), tracking-book numbers per centre and year.
    Values are never reused, even when the transaction that drew one fails.
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=96)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm")
        verbose_name_plural = _("bộ đếm")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="sequence_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}={self.value}"
