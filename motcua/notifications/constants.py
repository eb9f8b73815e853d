from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a message is about; each kind has its templates."""

    # To the applicant.
    RECEIVED = "received", _("Hồ sơ được tiếp nhận")
    REFUSED = "refused", _("Hồ sơ không được tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    PAYMENT_DUE = "payment_due", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    EXTENDED = "extended", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    REJECTED = "rejected", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết")
    RATING_INVITATION = "rating_invitation", _("Mời đánh giá sự hài lòng")
    # To staff.
    ACCEPTANCE_ALERT = "acceptance_alert", _("Hồ sơ trực tuyến chờ tiếp nhận")
    ACCEPTANCE_OVERDUE = "acceptance_overdue", _("Hồ sơ trực tuyến quá hạn tiếp nhận")
    DUE_SOON = "due_soon", _("Hồ sơ sắp đến hạn")
    OVERDUE = "overdue", _("Hồ sơ quá hạn")
    EXTENSION_SUGGESTED = (
        "extension_suggested",
        _("Đề nghị xin lỗi và hẹn lại ngày trả kết quả"),
    )


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trong phần mềm")


class Audience(models.TextChoices):
    """Who receives a message, resolved for each dossier."""

    APPLICANT = "applicant", _("Người nộp hồ sơ")
    CENTRE_RECEPTION = "centre_reception", _("Cán bộ tiếp nhận của Trung tâm")
    CENTRE_HEAD = "centre_head", _("Giám đốc Trung tâm tiếp nhận")
    STEP_HOLDER = "step_holder", _("Cán bộ đang xử lý bước")


class ReminderKind(models.TextChoices):
    """Thresholds the sweep watches; each is reminded once per threshold."""

    ACCEPTANCE_ALERT = "acceptance_alert", _("Chờ tiếp nhận quá 2 giờ làm việc")
    ACCEPTANCE_OVERDUE = "acceptance_overdue", _("Quá 8 giờ làm việc chưa tiếp nhận")
    DUE_SOON = "due_soon", _("Sắp đến hạn trả kết quả")
    OVERDUE = "overdue", _("Quá hạn trả kết quả")
    # Decree 118 Art.19(6): the apology and new date at least a working day
    # before the due time; suggested while that is still possible.
    EXTENSION_SUGGESTED = (
        "extension_suggested",
        _("Nguy cơ trễ hạn, còn kịp xin lỗi và hẹn lại"),
    )
