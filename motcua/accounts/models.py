"""Users, their memberships in units with a role, API tokens and login attempts."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.models import BaseModel

from .constants import Role


class User(AbstractUser):
    """A staff member or an administrator. Citizens have no account here."""

    full_name = models.CharField(_("họ và tên"), max_length=128, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class StaffMembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
            is_active=True,
        )


class StaffMembership(BaseModel):
    """
    A user's role in an agency or service centre for a period.

    Officers seconded to a centre by their agency (Decree 118 Art.11(4), 12 to
    36 months) have a membership in the centre with ``seconded_from`` set.
    Title, sector and phone are published in the staff directory (Art.9(8)).
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=128, blank=True)
    sector = models.CharField(_("lĩnh vực"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại công vụ"), max_length=32, blank=True)
    seconded_from = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan cử"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seconded_memberships",
    )
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("đang làm việc"), default=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        ordering = ["agency", "role"]
        indexes = [models.Index(fields=["agency", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class ApiToken(BaseModel):
    """
    A bearer token for the REST API. Only its SHA-256 is stored; the token is
    shown once, by ``motcua create-api-token``.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên"), max_length=64, default="api")
    prefix = models.CharField(_("tiền tố"), max_length=12, db_index=True)
    key_hash = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    is_portal = models.BooleanField(
        _("dành cho Cổng DVC quốc gia"),
        default=False,
        help_text=_("Cho phép gửi hồ sơ trực tuyến vào hệ thống (kết nối chiều vào)."),
    )
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class LoginAttempt(models.Model):
    """A login attempt, kept to rate-limit guessing by username and address."""

    username = models.CharField(_("tên đăng nhập"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    succeeded = models.BooleanField(_("thành công"), default=False)
    attempted_at = models.DateTimeField(
        _("thời điểm"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lần đăng nhập")

    def __str__(self) -> str:
        return f"{self.username} {self.attempted_at:%Y-%m-%d %H:%M}"
