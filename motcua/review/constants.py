from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang rà soát")
    CLOSED = "closed", _("Đã kết thúc")


class ProposalKind(models.TextChoices):
    """What a review proposes for a procedure (the issue's five kinds)."""

    SIMPLIFY_COMPONENT = "simplify_component", _("Bỏ thành phần hồ sơ")
    SHORTEN_DURATION = "shorten_duration", _("Rút ngắn thời hạn giải quyết")
    FULL_ONLINE = "full_online", _("Cung cấp dịch vụ công trực tuyến toàn trình")
    REMOVE = "remove", _("Bãi bỏ thủ tục")
    INTER_AGENCY = "inter_agency", _("Thực hiện liên thông")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    ADOPTED = "adopted", _("Đã thực thi")


class CostKind(models.TextChoices):
    TIME = "time", _("Thời gian của người thực hiện")
    EXPENSE = "expense", _("Chi phí trực tiếp khác")
