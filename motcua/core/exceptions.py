"""
Domain errors: a stable machine ``code``, an HTTP-like ``status`` and a message
for people (Vietnamese by default, through gettext).

Services raise these; the API maps them to JSON, the UI shows the message.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 422
    default_message: Any = _("Yêu cầu không hợp lệ.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.extra = extra or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "extra": self.extra}


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Không tìm thấy.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("Thao tác không được phép ở trạng thái hiện tại của hồ sơ.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại.")


class RuleViolation(DomainError):
    code = "rule_violation"
    status = 422
    default_message = _("Thao tác vi phạm quy định.")


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
    default_message = _("Dữ liệu nhập không hợp lệ.")
