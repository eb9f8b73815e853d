from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """Dossier status; each carries the national portal's TrangThaiHoSo code."""

    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    NEEDS_SUPPLEMENT = "needs_supplement", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


PORTAL_STATUS_CODES: dict[str, int] = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.IN_PROGRESS: 4,
    DossierStatus.NEEDS_SUPPLEMENT: 5,
    DossierStatus.AWAITING_PAYMENT: 6,
    DossierStatus.WITHDRAWAL_REQUESTED: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESOLVED: 9,
    DossierStatus.RETURNED: 10,
}

# Statuses after which nothing more happens to the dossier (except a
# correction of a returned result, which keeps the status).
FINAL_STATUSES = frozenset(
    {DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.RETURNED}
)
# Statuses in which the processing clock does not run.
PAUSED_STATUSES = frozenset(
    {DossierStatus.NEEDS_SUPPLEMENT, DossierStatus.AWAITING_PAYMENT}
)
# Statuses of dossiers still to be resolved (the open work of the province).
OPEN_STATUSES = frozenset(
    {
        DossierStatus.SUBMITTED,
        DossierStatus.RECEIVED,
        DossierStatus.IN_PROGRESS,
        DossierStatus.NEEDS_SUPPLEMENT,
        DossierStatus.AWAITING_PAYMENT,
        DossierStatus.WITHDRAWAL_REQUESTED,
    }
)


class DossierAction(models.TextChoices):
    """The vocabulary of services, API and events (DESIGN.md §3)."""

    SUBMIT_ONLINE = "submit_online", _("Nộp trực tuyến")
    SUBMIT = "submit", _("Nộp tại quầy / qua bưu chính")
    RECEIVE = "receive", _("Tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Nhận hồ sơ bổ sung")
    CLOSE_UNSUPPLEMENTED = "close_unsupplemented", _("Dừng do không bổ sung")
    ASSIGN = "assign", _("Phân công")
    COMPLETE_STEP = "complete_step", _("Hoàn thành bước, chuyển tiếp")
    TRANSFER = "transfer", _("Chuyển đơn vị khác")
    CONSULT = "consult", _("Lấy ý kiến")
    REPLY = "reply", _("Trả lời ý kiến")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = "confirm_payment", _("Xác nhận đã nộp")
    EXTEND = "extend", _("Xin lỗi và gia hạn")
    RESOLVE = "resolve", _("Ký duyệt kết quả")
    REJECT = "reject", _("Từ chối giải quyết")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    REQUEST_WITHDRAWAL = "request_withdrawal", _("Yêu cầu rút hồ sơ")
    STOP = "stop", _("Dừng giải quyết")
    CORRECT_RESULT = "correct_result", _("Đính chính kết quả")
    RECORD_PAYMENT = "record_payment", _("Ghi nhận nộp phí, lệ phí")
    RECORD_REFUND = "record_refund", _("Hoàn trả phí, lệ phí")


class Phase(models.TextChoices):
    RECEPTION = "reception", _("Tiếp nhận")
    PROCESSING = "processing", _("Giải quyết")


class ApplicantType(models.TextChoices):
    """Portal's LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 organisation."""

    PERSON = "person", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    AGENCY = "agency", _("Cơ quan nhà nước")
    ORGANISATION = "organisation", _("Tổ chức")


APPLICANT_PORTAL_CODES = {
    ApplicantType.PERSON: 1,
    ApplicantType.BUSINESS: 2,
    ApplicantType.AGENCY: 3,
    ApplicantType.ORGANISATION: 4,
}


class ComponentSource(models.TextChoices):
    UPLOADED = "uploaded", _("Tải lên trực tuyến")
    SCANNED = "scanned", _("Số hóa tại quầy")
    PAPER = "paper", _("Bản giấy")
    REUSED = "reused", _("Tái sử dụng từ Kho dữ liệu")
    NATIONAL_DATABASE = "national_database", _("Khai thác từ CSDL quốc gia")
    PRESENTED = "presented", _("Xuất trình")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Chờ đến lượt")
    ACTIVE = "active", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    SKIPPED = "skipped", _("Bỏ qua")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class ResultKind(models.TextChoices):
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")
    ONLINE = "online", _("Trực tuyến")


class HandOverKind(models.TextChoices):
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    ASSIGN = "assign", _("Phân công")
    TRANSFER = "transfer", _("Chuyển đơn vị")
    RETURN = "return", _("Trả kết quả cho người nộp")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class FeeStatus(models.TextChoices):
    DUE = "due", _("Chưa nộp")
    PAID = "paid", _("Đã nộp")
    WAIVED = "waived", _("Miễn")
    REFUNDED = "refunded", _("Đã hoàn trả")
