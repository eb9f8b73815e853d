"""
Citizen ratings of a dossier on the nine criteria of Decree 118/2025 Art.33,
tied to the agencies and officers that handled it; citizens' reports and
recommendations (phản ánh, kiến nghị: PAKN) with their deadlines.

Only ``motcua.feedback.services`` writes these tables; PAKN events are
append-only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import BaseModel

from .constants import (
    Criterion,
    FeedbackAction,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackStatus,
    Level,
    RatingChannel,
)


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


def new_feedback_secret() -> str:
    # Same alphabet as the dossier's lookup secret: no look-alike characters.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Feedback(BaseModel):
    """
    A citizen's report or recommendation (PAKN) about procedures, staff or
    anything else, with its deadlines in working days (``workflow``).

    The sender's name and contacts are never published: the public page
    shows ``public_question`` (written by the officer who publishes) and the
    answer only.
    """

    code = models.CharField(_("mã phản ánh"), max_length=32, unique=True)
    secret = models.CharField(
        _("mã bí mật theo dõi"), max_length=16, default=new_feedback_secret
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=16, choices=FeedbackChannel.choices
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
    )
    category = models.CharField(
        _("phân loại"), max_length=16, choices=FeedbackCategory.choices, blank=True
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    sender_name = models.CharField(_("họ tên người gửi"), max_length=255)
    sender_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    submitted_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)

    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_assigned",
    )
    assigned_at = models.DateTimeField(_("giao xử lý lúc"), null=True, blank=True)

    reject_due_at = models.DateTimeField(
        _("hạn từ chối xử lý"), help_text=_("2 ngày làm việc kể từ khi tiếp nhận.")
    )
    info_due_at = models.DateTimeField(
        _("hạn đề nghị bổ sung thông tin"),
        help_text=_("5 ngày làm việc kể từ khi tiếp nhận."),
    )
    answer_due_at = models.DateTimeField(
        _("hạn trả lời"),
        db_index=True,
        help_text=_(
            "15 ngày làm việc kể từ khi tiếp nhận, cộng thời gian chờ người gửi bổ sung."
        ),
    )
    publish_due_at = models.DateTimeField(
        _("hạn công khai"),
        null=True,
        blank=True,
        help_text=_("2 ngày làm việc kể từ khi trả lời."),
    )

    info_requested_at = models.DateTimeField(
        _("đề nghị bổ sung lúc"), null=True, blank=True
    )
    info_request = models.TextField(_("nội dung cần bổ sung"), blank=True)
    info_supplied_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    info_supplied = models.TextField(_("thông tin bổ sung"), blank=True)
    info_wait_minutes = models.PositiveIntegerField(
        _("thời gian chờ bổ sung (phút làm việc)"), default=0
    )
    rejected_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    reject_reason = models.TextField(_("lý do không xử lý"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    public_question = models.TextField(
        _("nội dung công khai"),
        blank=True,
        help_text=_("Tóm tắt phản ánh để công khai, không có thông tin cá nhân."),
    )
    citizen_satisfied = models.BooleanField(
        _("người gửi hài lòng với việc giải quyết"), null=True, blank=True
    )
    satisfaction_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "answer_due_at"], name="feedback_queue"),
            models.Index(
                fields=["agency", "status", "answer_due_at"],
                name="feedback_agency_queue",
            ),
            models.Index(fields=["published_at"], name="feedback_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.ANSWERED)
                | Q(answered_at__isnull=False, publish_due_at__isnull=False),
                name="feedback_answered_has_times",
            ),
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.PUBLISHED)
                | Q(published_at__isnull=False, answered_at__isnull=False),
                name="feedback_published_has_times",
            ),
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.REJECTED)
                | Q(rejected_at__isnull=False),
                name="feedback_rejected_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title[:60]}"


class FeedbackEvent(models.Model):
    """What happened to a PAKN, in order. Append-only."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("thao tác"), max_length=16, choices=FeedbackAction.choices
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=16, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    note = models.TextField(_("nội dung"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("diễn biến xử lý phản ánh")
        verbose_name_plural = _("diễn biến xử lý phản ánh")
        ordering = ["feedback", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        # Append-only: an event, once written, is history.
        if self.pk is not None:
            raise ValueError("Feedback events are append-only.")
        super().save(*args, **kwargs)
