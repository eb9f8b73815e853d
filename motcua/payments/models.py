"""
Payments of the fees and charges of dossiers: intents, the provider's
transactions (idempotency key), e-receipts and refunds.

Only ``motcua.payments.services`` writes these tables. The dossier's own fee
rows (``dossiers.DossierFee``) stay the dossier app's; an intent only points
at the rows it covers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import BaseModel

from .constants import (
    Currency,
    PaymentChannel,
    PaymentStatus,
    RefundStatus,
    TransactionOutcome,
    TransactionResult,
)


class PaymentIntent(BaseModel):
    """
    One attempt to pay some of a dossier's fees through a provider.

    ``reference`` is the order reference sent to the gateway; ``uuid`` is the
    unguessable id in the payer's start link.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("mã đơn thanh toán"), max_length=32, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payment_intents",
    )
    fees = models.ManyToManyField(
        "dossiers.DossierFee",
        verbose_name=_("khoản thu"),
        related_name="payment_intents",
    )
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    currency = models.CharField(
        _("tiền tệ"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    provider = models.CharField(_("nhà cung cấp"), max_length=32)
    channel = models.CharField(
        _("kênh thanh toán"), max_length=16, choices=PaymentChannel.choices
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.CREATED,
        db_index=True,
    )
    return_url = models.URLField(_("địa chỉ trở về"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by_label = models.CharField(_("người tạo"), max_length=255, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    status_note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("yêu cầu thanh toán")
        verbose_name_plural = _("yêu cầu thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_intent_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID) | Q(paid_at__isnull=False),
                name="payment_intent_paid_has_timestamp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"


class ProviderTransaction(models.Model):
    """
    A transaction reported by the provider's signed callback.

    The provider's transaction id is unique: a replayed callback can never be
    applied twice, even by two requests racing each other.
    """

    provider = models.CharField(_("nhà cung cấp"), max_length=32)
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64)
    intent = models.ForeignKey(
        PaymentIntent,
        verbose_name=_("yêu cầu thanh toán"),
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    currency = models.CharField(_("tiền tệ"), max_length=3, default=Currency.VND)
    result = models.CharField(
        _("kết quả"), max_length=16, choices=TransactionResult.choices
    )
    response_code = models.CharField(_("mã phản hồi"), max_length=8, blank=True)
    outcome = models.CharField(
        _("xử lý"), max_length=24, choices=TransactionOutcome.choices
    )
    params = models.JSONField(_("tham số nhận được"), default=dict)
    params_digest = models.CharField(max_length=64)
    paid_at = models.DateTimeField(_("thời điểm giao dịch"), null=True, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("giao dịch của cổng thanh toán")
        verbose_name_plural = _("giao dịch của cổng thanh toán")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                name="provider_transaction_unique",
            ),
        ]
        indexes = [models.Index(fields=["paid_at"], name="provider_txn_paid_at")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.transaction_id}"


class Receipt(BaseModel):
    """
    An e-receipt (biên lai điện tử thu phí, lệ phí), numbered per collecting
    agency and year without gaps. Its content is a snapshot taken when issued.
    """

    number = models.CharField(_("số biên lai"), max_length=64, unique=True)
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("tổ chức thu"),
        on_delete=models.PROTECT,
        related_name="payment_receipts",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payment_receipts",
    )
    intent = models.OneToOneField(
        PaymentIntent,
        verbose_name=_("yêu cầu thanh toán"),
        on_delete=models.PROTECT,
        related_name="receipt",
    )
    transaction = models.ForeignKey(
        ProviderTransaction,
        verbose_name=_("giao dịch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    payer_name = models.CharField(_("người nộp"), max_length=255)
    payer_id_number = models.CharField(_("số định danh"), max_length=32, blank=True)
    payer_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    items = models.JSONField(_("các khoản thu"), default=list)
    amount = models.DecimalField(_("tổng số tiền"), max_digits=14, decimal_places=0)
    amount_in_words = models.CharField(_("số tiền bằng chữ"), max_length=500)
    issued_at = models.DateTimeField(_("lập lúc"))

    class Meta:
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"],
                name="receipt_sequence_unique_per_agency_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Refund(BaseModel):
    """
    The return of one paid fee when the dossier ended without a result and
    the refund rules allow it (``motcua.payments.refunds``). A fee is
    refunded at most once; a failed attempt is retried on the same row.
    """

    reference = models.CharField(_("mã hoàn trả"), max_length=32, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payment_refunds",
    )
    fee = models.OneToOneField(
        "dossiers.DossierFee",
        verbose_name=_("khoản thu"),
        on_delete=models.PROTECT,
        related_name="refund",
    )
    intent = models.ForeignKey(
        PaymentIntent,
        verbose_name=_("yêu cầu thanh toán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    transaction = models.ForeignKey(
        ProviderTransaction,
        verbose_name=_("giao dịch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    provider = models.CharField(_("hoàn trả qua"), max_length=32)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    ending = models.CharField(_("hồ sơ kết thúc"), max_length=32)
    rule = models.CharField(_("quy tắc hoàn trả"), max_length=32)
    basis = models.CharField(_("căn cứ"), max_length=255)
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=RefundStatus.choices,
        default=RefundStatus.REQUESTED,
    )
    provider_refund_id = models.CharField(
        _("mã hoàn trả của cổng"), max_length=64, blank=True
    )
    failure_message = models.CharField(_("lỗi"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by_label = models.CharField(_("người đề nghị"), max_length=255)
    completed_at = models.DateTimeField(_("hoàn trả lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoàn trả phí, lệ phí")
        verbose_name_plural = _("hoàn trả phí, lệ phí")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="refund_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=RefundStatus.COMPLETED)
                | Q(completed_at__isnull=False),
                name="refund_completed_has_timestamp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"
