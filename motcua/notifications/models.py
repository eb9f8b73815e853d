"""
The notification outbox and the register of reminders already sent.

Only ``motcua.notifications.services`` writes these tables. A notification
keeps the text exactly as it was sent: it is rendered when the row is made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox import OutboxMessage, OutboxStatus

from .constants import Audience, Channel, NotificationKind, ReminderKind


class Notification(OutboxMessage):
    """One message to one recipient on one channel (e-mail, SMS, in-app)."""

    kind = models.CharField(
        _("loại thông báo"), max_length=32, choices=NotificationKind.choices
    )
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    audience = models.CharField(
        _("người nhận là"), max_length=24, choices=Audience.choices
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        verbose_name=_("sự kiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    reminder = models.ForeignKey(
        "notifications.Reminder",
        verbose_name=_("nhắc việc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient = models.CharField(
        _("địa chỉ nhận"),
        max_length=255,
        help_text=_("Thư điện tử, số điện thoại, hoặc tên đăng nhập (trong phần mềm)."),
    )
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung đã gửi"))
    dedupe_key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=200,
        unique=True,
        help_text=_("Cùng một sự kiện, người nhận và kênh chỉ tạo một thông báo."),
    )
    provider_reference = models.CharField(
        _("mã của nhà cung cấp"), max_length=128, blank=True
    )
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(
                fields=["recipient_user", "channel", "read_at"],
                name="notification_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_channel_display()})"

    @property
    def is_final(self) -> bool:
        return self.status in (OutboxStatus.SENT, OutboxStatus.DEAD)


class Reminder(models.Model):
    """
    A threshold the sweep has already reminded staff of: at most one row per
    dossier, kind and threshold time, so reruns send nothing twice. A new due
    time (after an extension or a supplement) is a new threshold.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("loại"), max_length=24, choices=ReminderKind.choices)
    threshold_at = models.DateTimeField(
        _("mốc thời hạn"),
        help_text=_("Hạn trả kết quả hoặc hạn tiếp nhận mà lời nhắc nói tới."),
    )
    created_at = models.DateTimeField(_("nhắc lúc"))
    recipients = models.PositiveSmallIntegerField(_("số người được nhắc"), default=0)

    class Meta:
        verbose_name = _("nhắc việc đã gửi")
        verbose_name_plural = _("nhắc việc đã gửi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "threshold_at"],
                name="reminder_once_per_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.get_kind_display()}"
