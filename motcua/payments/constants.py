from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    """Life of a payment intent: created → pending → paid / failed / cancelled / expired."""

    CREATED = "created", _("Mới tạo")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")


# Nothing changes an intent in these statuses, except that a success callback
# for a cancelled, failed or expired intent still records the money received.
PAYMENT_STATUS_FINAL = frozenset(
    {
        PaymentStatus.PAID,
        PaymentStatus.FAILED,
        PaymentStatus.CANCELLED,
        PaymentStatus.EXPIRED,
    }
)
PAYMENT_STATUS_OPEN = frozenset({PaymentStatus.CREATED, PaymentStatus.PENDING})


class PaymentChannel(models.TextChoices):
    """Where the payer started the payment (Decree 118 Art.24)."""

    ONLINE = "online", _("Trực tuyến (Cổng DVC / trang tra cứu)")
    COUNTER = "counter", _("Tại Bộ phận một cửa (thẻ, mã QR)")


class Currency(models.TextChoices):
    VND = "VND", _("Đồng Việt Nam")


class TransactionResult(models.TextChoices):
    SUCCESS = "success", _("Thành công")
    CANCELLED = "cancelled", _("Người nộp hủy")
    FAILED = "failed", _("Không thành công")


class TransactionOutcome(models.TextChoices):
    """What the callback did on our side."""

    APPLIED = "applied", _("Đã ghi nhận")
    # A second successful payment of an intent already paid: money to return.
    DUPLICATE_PAYMENT = "duplicate_payment", _("Thanh toán trùng, cần hoàn trả")
    # A failure reported for an intent already final: recorded, nothing changed.
    IGNORED = "ignored", _("Không thay đổi")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Đang hoàn trả")
    COMPLETED = "completed", _("Đã hoàn trả")
    FAILED = "failed", _("Hoàn trả không thành công")


# The pseudo-provider of fees collected in cash at the counter.
COUNTER_PROVIDER = "counter"
