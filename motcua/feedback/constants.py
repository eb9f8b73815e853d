"""
Vocabulary of citizen ratings (Decree 118/2025 Art.31, 33) and of citizens'
reports and recommendations (phản ánh, kiến nghị: PAKN).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingChannel(models.TextChoices):
    """Where a rating was given (Decree 118 Art.31(1))."""

    KIOSK = "kiosk", _("Thiết bị đánh giá tại Bộ phận Một cửa")
    LOOKUP = "lookup", _("Trang tra cứu hồ sơ")
    NOTIFICATION = "notification", _("Đường dẫn trong thông báo trả kết quả")


class Criterion(models.TextChoices):
    """
    The citizen's criteria of Decree 118/2025 Art.33(1)(a)–(i); "đ" is
    written ``dd`` in code and data.
    """

    A = "a", _("Thời gian trả kết quả so với quy định hoặc giấy hẹn")
    B = "b", _("Số cơ quan phải liên hệ để hoàn thiện hồ sơ")
    C = "c", _("Số lần liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ")
    D = "d", _("Thông tin thủ tục công khai chính xác, đầy đủ, kịp thời")
    DD = "dd", _("Thái độ, tác phong của cán bộ, công chức")
    E = "e", _("Kết quả đúng quy định; chi phí ngoài quy định")
    G = "g", _("Thời gian, chất lượng giải thích phản ánh, kiến nghị")
    H = "h", _("Tiến độ, chất lượng dịch vụ công trực tuyến")
    I = "i", _("Nội dung khác")  # noqa: E741 - the Decree's own letter


# Criteria every rating answers. The others apply only to some dossiers: (g)
# only if the citizen complained, (h) only for online services, (i) "other".
REQUIRED_CRITERIA = (
    Criterion.A,
    Criterion.B,
    Criterion.C,
    Criterion.D,
    Criterion.DD,
    Criterion.E,
)
OPTIONAL_CRITERIA = (Criterion.G, Criterion.H, Criterion.I)
# Spellings accepted in ``answers`` besides the codes above.
CRITERION_ALIASES = {"đ": Criterion.DD, "Đ": Criterion.DD}


class Level(models.IntegerChoices):
    """The 5-level satisfaction scale used by the rating devices (legal-spec §8.3)."""

    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


# A rating is "satisfied" when its mean level reaches "Hài lòng".
SATISFIED_MEAN = 4
# ... and "dissatisfied" when it falls below "Bình thường".
DISSATISFIED_MEAN = 3


class FeedbackChannel(models.TextChoices):
    """How a report or recommendation (PAKN) reached us."""

    WEB = "web", _("Trang phản ánh, kiến nghị")
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    PORTAL = "portal", _("Cổng Dịch vụ công quốc gia")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    MAIL = "mail", _("Văn bản, thư")


class FeedbackCategory(models.TextChoices):
    """Classification of a PAKN (Decision 766 indicator 5.1)."""

    PROCEDURE = "procedure", _("Về quy định, thủ tục hành chính")
    STAFF = "staff", _("Về hành vi, thái độ của cán bộ, công chức")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    INFO_REQUESTED = "info_requested", _("Chờ người gửi bổ sung thông tin")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã công khai")
    REJECTED = "rejected", _("Không xử lý")


class FeedbackAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi phản ánh, kiến nghị")
    ASSIGN = "assign", _("Phân loại, giao xử lý")
    REQUEST_INFO = "request_info", _("Đề nghị bổ sung thông tin")
    SUPPLY_INFO = "supply_info", _("Bổ sung thông tin")
    REJECT = "reject", _("Từ chối xử lý")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai kết quả")
    RATE_ANSWER = "rate_answer", _("Đánh giá việc trả lời")


# Open PAKN: still waiting for an answer or a refusal.
FEEDBACK_OPEN_STATUSES = frozenset(
    {
        FeedbackStatus.RECEIVED,
        FeedbackStatus.ASSIGNED,
        FeedbackStatus.INFO_REQUESTED,
    }
)
