"""
One error envelope for the whole API: ``{"code", "message", "extra"}``.

Domain errors keep their own code and status (404, 403, 409, 422); ninja's
validation errors become ``validation_failed`` with the field errors in
``extra.fields``; a missing or bad credential is ``not_authenticated`` (401).
Messages are Vietnamese unless the client asks for English
(``Accept-Language: en``) and a translation exists.
"""

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.core.exceptions import DomainError, PermissionDenied

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("motcua.api")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _(
        "Cần đăng nhập hoặc gửi khóa API hợp lệ (Authorization: Bearer <khóa>)."
    )


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403
    default_message = _(
        "Thiếu hoặc sai mã CSRF: yêu cầu dùng phiên đăng nhập phải gửi tiêu đề X-CSRFToken."
    )


class PortalNotAllowed(PermissionDenied):
    code = "portal_not_allowed"
    default_message = _(
        "Khóa API của Cổng DVC quốc gia chỉ được nộp hồ sơ trực tuyến, gửi bổ sung, "
        "yêu cầu rút và xem tình trạng hồ sơ của mình."
    )


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 409
    default_message = _(
        "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới."
    )


class FeatureUnavailable(DomainError):
    code = "not_available"
    status = 501
    default_message = _("Chức năng này chưa có trong bản cài đặt hiện tại.")


# Vietnamese (and, through the catalog, English) wording of the validation
# errors clients meet most; anything else keeps pydantic's English message.
_FIELD_MESSAGES: dict[str, Any] = {
    "missing": _("Trường này là bắt buộc."),
    "extra_forbidden": _("Trường này không được hỗ trợ."),
    "string_type": _("Phải là chuỗi ký tự."),
    "string_too_long": _("Dài quá %(max_length)s ký tự."),
    "string_too_short": _("Phải có ít nhất %(min_length)s ký tự."),
    "string_pattern_mismatch": _("Định dạng không hợp lệ."),
    "int_type": _("Phải là số nguyên."),
    "int_parsing": _("Phải là số nguyên."),
    "int_from_float": _("Phải là số nguyên."),
    "float_type": _("Phải là số."),
    "float_parsing": _("Phải là số."),
    "bool_type": _("Phải là true hoặc false."),
    "bool_parsing": _("Phải là true hoặc false."),
    "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
    "greater_than": _("Phải lớn hơn %(gt)s."),
    "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s."),
    "enum": _("Giá trị không hợp lệ; chọn một trong: %(expected)s."),
    "literal_error": _("Giá trị không hợp lệ; chọn một trong: %(expected)s."),
    "datetime_type": _(
        "Thời điểm không hợp lệ (ISO 8601, ví dụ 2026-03-02T09:00+07:00)."
    ),
    "datetime_parsing": _(
        "Thời điểm không hợp lệ (ISO 8601, ví dụ 2026-03-02T09:00+07:00)."
    ),
    "datetime_from_date_parsing": _(
        "Thời điểm không hợp lệ (ISO 8601, ví dụ 2026-03-02T09:00+07:00)."
    ),
    "date_type": _("Ngày không hợp lệ (YYYY-MM-DD)."),
    "date_parsing": _("Ngày không hợp lệ (YYYY-MM-DD)."),
    "date_from_datetime_parsing": _("Ngày không hợp lệ (YYYY-MM-DD)."),
    "model_type": _("Phải là một đối tượng JSON."),
    "model_attributes_type": _("Phải là một đối tượng JSON."),
    "dict_type": _("Phải là một đối tượng JSON."),
    "list_type": _("Phải là một danh sách."),
    "too_long": _("Nhiều quá %(max_length)s phần tử."),
    "union_tag_invalid": _("Giá trị không hợp lệ."),
    "agency_ref": _("Phải là id (số) hoặc mã định danh (chuỗi) của cơ quan."),
    "text_invalid": _("Có ký tự không hợp lệ (NUL hoặc mã Unicode hỏng)."),
    "datetime_out_of_range": _("Năm phải trong khoảng %(min_year)s–%(max_year)s."),
}


def _field_message(error: dict[str, Any]) -> str:
    template = _FIELD_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % {k: v for k, v in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _field_key(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes the location with its source ("body", "query", "path")
    # and, for a body, the name of the view's parameter; clients know fields
    # by their name in the JSON they sent.
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_envelope(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the envelope of a list of pydantic/ninja validation errors."""
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_key(error.get("loc", ())), _field_message(error))
    return {
        "code": "validation_failed",
        "message": gettext("Dữ liệu gửi lên không hợp lệ."),
        "extra": {"fields": fields},
    }


def _respond(
    api: "NinjaAPI", request: HttpRequest, body: dict[str, Any], status: int
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="motcua"'
    return response


def install(api: "NinjaAPI") -> None:
    """Register the envelope handlers on ``api`` (replacing ninja's defaults)."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _respond(api, request, exc.as_dict(), exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _respond(api, request, validation_envelope(exc.errors), 422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            error: DomainError = NotAuthenticated()
        elif exc.status_code == 400:
            # ninja raises this when the body is not JSON at all.
            error = DomainError(
                _("Nội dung yêu cầu không phải JSON hợp lệ."), code="malformed_request"
            )
            error.status = 400
        elif exc.status_code == 403:
            error = PermissionDenied()
        elif exc.status_code == 429:
            error = DomainError(
                _("Quá nhiều yêu cầu; vui lòng thử lại sau."), code="throttled"
            )
            error.status = 429
        else:
            error = DomainError(str(exc), code="http_error")
            error.status = exc.status_code
        return _respond(api, request, error.as_dict(), error.status)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        error = DomainError(_("Nội dung yêu cầu quá lớn."), code="request_too_large")
        return _respond(api, request, error.as_dict(), 413)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(
            api,
            request,
            {"code": "not_found", "message": gettext("Không tìm thấy."), "extra": {}},
            404,
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return _respond(
            api,
            request,
            {
                "code": "server_error",
                "message": gettext(
                    "Lỗi hệ thống; vui lòng thử lại hoặc báo quản trị viên."
                ),
                "extra": {},
            },
            500,
        )
