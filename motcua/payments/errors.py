"""Errors of the payments app: stable codes for the API, the IPN answer and the UI."""

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)


class SignatureInvalid(PermissionDenied):
    code = "signature_invalid"
    default_message = _("Chữ ký của cổng thanh toán không hợp lệ.")


class CallbackInvalid(ValidationFailed):
    code = "callback_invalid"
    default_message = _("Thông báo của cổng thanh toán thiếu hoặc sai tham số.")


class IntentUnknown(NotFound):
    code = "intent_unknown"
    default_message = _("Không tìm thấy yêu cầu thanh toán.")


class AmountMismatch(RuleViolation):
    code = "amount_mismatch"
    default_message = _("Số tiền đã thanh toán không khớp với số tiền phải nộp.")


class TransactionConflict(Conflict):
    code = "transaction_conflict"
    default_message = _(
        "Mã giao dịch này đã được ghi nhận với nội dung khác; thông báo bị từ chối."
    )


class ProviderUnavailable(DomainError):
    code = "provider_unavailable"
    status = 502
    default_message = _("Không kết nối được cổng thanh toán; vui lòng thử lại sau.")


class ProviderNotConfigured(DomainError):
    code = "provider_not_configured"
    status = 503
    default_message = _("Cổng thanh toán chưa được cấu hình.")
