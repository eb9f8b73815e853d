"""
The outbox of the national portal sync (Decree 118/2025 Art.27(2)(c)–(d):
every status and result is synced to the National Public Service Portal).

Only ``motcua.integrations.portal.services`` writes this table.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox import OutboxMessage


class SyncKind(models.TextChoices):
    STATUS = "status", _("Cập nhật trạng thái")
    PROGRESS = "progress", _("Cập nhật tiến độ xử lý")
    RESULT = "result", _("Cập nhật kết quả")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class PortalSyncMessage(OutboxMessage):
    """
    One update of one dossier for the portal, built from the dossier as it
    stood at the event, in the portal's field names (legal-spec §3.4).

    Messages of a dossier are delivered in ``pk`` order; a later one waits
    while an earlier one is failing. The portal de-duplicates on
    ``idempotency_key``, which a retry keeps.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="portal_sync_messages",
    )
    event = models.OneToOneField(
        "dossiers.DossierEvent",
        verbose_name=_("sự kiện"),
        on_delete=models.PROTECT,
        related_name="portal_sync_message",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=SyncKind.choices)
    portal_code = models.CharField(
        _("MaHoSo"),
        max_length=64,
        db_index=True,
        help_text=_(
            "Mã hồ sơ gửi lên Cổng: mã hồ sơ nếu đã cấp, nếu chưa là mã của Cổng."
        ),
    )
    portal_status = models.PositiveSmallIntegerField(_("TrangThaiHoSo"))
    payload = models.JSONField(_("dữ liệu gửi"))
    idempotency_key = models.CharField(
        _("khóa chống trùng (Idempotency-Key)"),
        max_length=64,
        unique=True,
        default=new_idempotency_key,
        editable=False,
    )
    response = models.JSONField(_("phản hồi của Cổng"), null=True, blank=True)
    duplicate_ack = models.BooleanField(
        _("Cổng báo đã nhận trước đó"),
        default=False,
        help_text=_("Lần gửi trước đã tới Cổng nhưng mất phản hồi."),
    )
    latency_seconds = models.FloatField(
        _("độ trễ đồng bộ (giây)"),
        null=True,
        blank=True,
        help_text=_("Từ lúc phát sinh đến lúc Cổng xác nhận; chuẩn ≤ 10 phút."),
    )

    class Meta:
        verbose_name = _("đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("đồng bộ Cổng DVC quốc gia")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="portal_sync_due"),
            models.Index(fields=["dossier", "status"], name="portal_sync_dossier"),
            models.Index(fields=["sent_at"], name="portal_sync_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.portal_code} {self.get_kind_display()} ({self.get_status_display()})"
