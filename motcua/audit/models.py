"""
The security log (who did what to which object) and the personal-data access
log (who looked at a citizen's data, shown to that citizen).

Audit rows are chained by SHA-256: each sealed row carries the hash of the
previous one, so that a deleted or edited row breaks the chain. Sealing runs
after commit (``audit_seal``), so writers never queue on one lock.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    DOSSIER_ACTION = "dossier_action", _("Thao tác trên hồ sơ")
    DOSSIER_CREATE = "dossier_create", _("Tạo hồ sơ")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    TOKEN_CREATE = "token_create", _("Tạo khóa API")
    EXPORT = "export", _("Xuất dữ liệu")
    CATALOG_PUBLISH = "catalog_publish", _("Công bố thủ tục")
    CALENDAR_CHANGE = "calendar_change", _("Sửa lịch làm việc")
    DOCUMENT_SIGN = "document_sign", _("Ký số tài liệu")
    PAYMENT = "payment", _("Thanh toán")
    SETTINGS = "settings", _("Thay đổi cấu hình")
    REVIEW = "review", _("Rà soát, đơn giản hóa thủ tục")


class AuditLog(models.Model):
    event_type = models.CharField(_("loại"), max_length=32, choices=AuditEvent.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("tác nhân"), max_length=150, blank=True)
    target_type = models.CharField(_("đối tượng"), max_length=64, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    extra_data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    previous_hash = models.CharField(max_length=64, blank=True)
    row_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        indexes = [
            models.Index(fields=["event_type", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event_type} {self.target_type}:{self.target_id}"


class AccessPurpose(models.TextChoices):
    PROCESSING = "processing", _("Giải quyết hồ sơ")
    RECEPTION = "reception", _("Tiếp nhận hồ sơ")
    SUPERVISION = "supervision", _("Giám sát, kiểm tra")
    LOOKUP = "lookup", _("Tra cứu dữ liệu dân cư")
    DOWNLOAD = "download", _("Tải tệp")


class DataAccessLog(models.Model):
    """
    A read of a citizen's personal data or files by staff: who, from which
    unit, when and why. The applicant sees these rows on the lookup page.
    """

    # Plain columns, not a foreign key: the audit app sits below the domain apps.
    dossier_id = models.BigIntegerField(
        _("hồ sơ"), null=True, blank=True, db_index=True
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    subject_id_number = models.CharField(
        _("số định danh người được truy cập"), max_length=32, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        _("mục đích"), max_length=16, choices=AccessPurpose.choices
    )
    what = models.CharField(_("dữ liệu"), max_length=255)
    accessed_at = models.DateTimeField(
        _("thời điểm"), default=timezone.now, db_index=True
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.actor_id} {self.what}"
