"""
Procedure review (rà soát, đánh giá TTHC): the data of the compliance cost
model (wage rate per year, cost items per procedure), the yearly review
rounds and the proposals made in them.

Only ``motcua.review.services`` writes rounds and proposals; wage rates and
cost items are reference data edited in the admin (each change audited).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import BaseModel

from .constants import CostKind, ProposalKind, ProposalStatus, RoundStatus


class WageRate(BaseModel):
    """
    The value of one hour of an applicant's time in a year (VND per hour).

    Standard cost model: applicant time is costed at the average income per
    working hour (GDP per capita ÷ working hours of the year); see
    docs/review.md for the source of the figure.
    """

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    hourly_wage = models.DecimalField(
        _("thu nhập bình quân một giờ (đồng)"), max_digits=12, decimal_places=0
    )
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=500,
        help_text=_(
            "Ví dụ: GDP bình quân đầu người năm trước (Tổng cục Thống kê) chia cho số giờ làm việc trong năm."
        ),
    )

    class Meta:
        verbose_name = _("mức thu nhập bình quân theo giờ")
        verbose_name_plural = _("mức thu nhập bình quân theo giờ")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_wage__gt=0), name="wage_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.hourly_wage:,.0f} đ/giờ"


class CostItem(BaseModel):
    """
    One cost an applicant bears for one dossier of a procedure besides the
    fees: hours spent (preparing papers, travelling, waiting) or money spent
    (copies, certification, travel). The fees come from the dossiers.
    """

    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="cost_items",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=CostKind.choices)
    name = models.CharField(_("nội dung"), max_length=255)
    hours = models.DecimalField(
        _("số giờ cho một hồ sơ"),
        max_digits=7,
        decimal_places=2,
        default=0,
        help_text=_("Chỉ dùng cho loại thời gian."),
    )
    amount = models.DecimalField(
        _("số tiền cho một hồ sơ (đồng)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        help_text=_("Chỉ dùng cho loại chi phí trực tiếp khác."),
    )

    class Meta:
        verbose_name = _("khoản chi phí tuân thủ")
        verbose_name_plural = _("khoản chi phí tuân thủ")
        ordering = ["procedure", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0, amount__gte=0),
                name="cost_item_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewRound(BaseModel):
    """The province's procedure review of one year."""

    year = models.PositiveSmallIntegerField(_("năm rà soát"), unique=True)
    title = models.CharField(_("tên đợt rà soát"), max_length=255)
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=RoundStatus.choices,
        default=RoundStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt rà soát thủ tục hành chính")
        verbose_name_plural = _("đợt rà soát thủ tục hành chính")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class Proposal(BaseModel):
    """
    A proposal to change one procedure, with the evidence and the cost figures
    it was made on (snapshots: later dossiers do not change what was approved).
    """

    round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("đợt rà soát"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="review_proposals",
    )
    kind = models.CharField(_("phương án"), max_length=24, choices=ProposalKind.choices)
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    description = models.TextField(_("nội dung phương án"))
    component = models.ForeignKey(
        "catalog.Component",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Thành phần đề nghị bỏ (phương án bỏ thành phần hồ sơ)."),
    )
    new_duration_value = models.DecimalField(
        _("thời hạn mới"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Cùng đơn vị với thời hạn hiện hành."),
    )
    hours_saved = models.DecimalField(
        _("số giờ tiết kiệm cho một hồ sơ"),
        max_digits=7,
        decimal_places=2,
        default=0,
    )
    expenses_saved = models.DecimalField(
        _("chi phí khác tiết kiệm cho một hồ sơ (đồng)"),
        max_digits=14,
        decimal_places=0,
        default=0,
    )
    fees_saved = models.DecimalField(
        _("phí, lệ phí giảm cho một hồ sơ (đồng)"),
        max_digits=14,
        decimal_places=0,
        default=0,
    )
    evidence = models.JSONField(_("bằng chứng"), default=dict, blank=True)
    cost_before = models.JSONField(_("chi phí tuân thủ hiện tại"), default=dict)
    cost_after = models.JSONField(_("chi phí tuân thủ sau đơn giản hóa"), default=dict)
    yearly_saving = models.DecimalField(
        _("chi phí tiết kiệm mỗi năm (đồng)"), max_digits=18, decimal_places=0
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề xuất"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến phê duyệt"), blank=True)
    adopted_at = models.DateTimeField(_("thực thi lúc"), null=True, blank=True)
    adopted_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục mới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adoption_note = models.TextField(_("ghi chú thực thi"), blank=True)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa")
        ordering = ["round", "-yearly_saving", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    hours_saved__gte=0, expenses_saved__gte=0, fees_saved__gte=0
                ),
                name="proposal_savings_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PROPOSED)
                | Q(decided_at__isnull=False),
                name="proposal_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.get_kind_display()}"
