"""
The one table the supervision app writes: the Decision 766 indicators with
their maximum points and targets, editable by an administrator because the
official text may change (legal-spec §9.1, §13 item 6).

Everything else in this app is read-only (selectors over other apps' data).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import IndicatorGroup


class Indicator(models.Model):
    """
    One indicator of the Decision 766 index: its code, its maximum points
    (its weight in the 100-point index) and its target.

    Generic scoring rule (766 formula document): with a target T, the score
    is the maximum when the ratio reaches T, else ratio / T × maximum;
    without a target, ratio × maximum. An indicator with a maximum of 0 is
    monitored only.
    """

    code = models.CharField(
        _("mã chỉ số"),
        max_length=64,
        unique=True,
        help_text=_("Mã của chỉ số trên Cổng DVC quốc gia, ví dụ DOSSIER_SYNC."),
    )
    number = models.CharField(_("số thứ tự"), max_length=8)
    group = models.CharField(
        _("nhóm chỉ số"), max_length=16, choices=IndicatorGroup.choices
    )
    name = models.CharField(_("tên chỉ số"), max_length=255)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    target = models.DecimalField(
        _("chỉ tiêu (tỷ lệ 0–1)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Để trống nếu không có chỉ tiêu: điểm = tỷ lệ × điểm tối đa."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    basis = models.TextField(
        _("cách tính, căn cứ"),
        blank=True,
        help_text=_("Tử số, mẫu số và nguồn của số liệu."),
    )

    class Meta:
        verbose_name = _("chỉ số Quyết định 766")
        verbose_name_plural = _("chỉ số Quyết định 766")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=0), name="indicator_max_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gt=0, target__lte=1),
                name="indicator_target_is_a_ratio",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
