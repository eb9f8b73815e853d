"""
Citizen ratings of a dossier on the nine criteria of Decree 118/2025 Art.33,
tied to the agencies and officers that handled it.

Only ``motcua.feedback.services`` writes these tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import Criterion, Level, RatingChannel


class Rating(models.Model):
    """
    One citizen's rating of one dossier, given on one channel.

    Each channel takes one rating per dossier; the first rating of a dossier
    (any channel) is the one that counts in statistics (``counts``), so that
    a dossier weighs once and a later rating cannot overwrite an earlier
    opinion (docs/adr/0004-ratings.md).
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    channel = models.CharField(
        _("kênh đánh giá"), max_length=16, choices=RatingChannel.choices
    )
    client_token = models.CharField(
        _("mã phiên của thiết bị"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Gửi lại cùng mã này không tạo thêm phiếu đánh giá."),
    )
    submitted_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)
    comment = models.TextField(_("ý kiến khác"), blank=True)
    mean_level = models.DecimalField(
        _("mức hài lòng trung bình (1–5)"), max_digits=3, decimal_places=2
    )
    satisfied = models.BooleanField(
        _("hài lòng"), help_text=_("Mức trung bình từ 'Hài lòng' trở lên.")
    )
    dissatisfied = models.BooleanField(
        _("không hài lòng"), help_text=_("Mức trung bình dưới 'Bình thường'.")
    )
    counts = models.BooleanField(
        _("được tính vào thống kê"),
        help_text=_("Chỉ phiếu đầu tiên của mỗi hồ sơ được tính."),
    )

    class Meta:
        verbose_name = _("phiếu đánh giá sự hài lòng")
        verbose_name_plural = _("phiếu đánh giá sự hài lòng")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "channel"], name="rating_once_per_dossier_channel"
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(counts=True),
                name="rating_one_counted_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(mean_level__gte=1, mean_level__lte=5),
                name="rating_mean_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.get_channel_display()} – {self.mean_level}"


class RatingAnswer(models.Model):
    """The answer to one criterion, with its Circular 01/2018 points (0/1/2)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(_("tiêu chí"), max_length=2, choices=Criterion.choices)
    level = models.PositiveSmallIntegerField(_("mức đánh giá"), choices=Level.choices)
    points = models.PositiveSmallIntegerField(
        _("điểm theo Thông tư 01/2018 (0/1/2)"),
    )

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        ordering = ["rating", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "criterion"], name="rating_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_answer_level"
            ),
            models.CheckConstraint(
                condition=Q(points__lte=2), name="rating_answer_points"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class RatingAgency(models.Model):
    """An agency that handled the rated dossier (receiving, resolving, a step, consulted)."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="agencies"
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )

    class Meta:
        verbose_name = _("đơn vị được đánh giá")
        verbose_name_plural = _("đơn vị được đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "agency"], name="rating_agency_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} → {self.agency_id}"


class RatingOfficer(models.Model):
    """An officer who handled the rated dossier, with the unit they acted for."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="officers"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cán bộ được đánh giá")
        verbose_name_plural = _("cán bộ được đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "officer"], name="rating_officer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} → {self.officer_id}"
