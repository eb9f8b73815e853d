from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorGroup(models.TextChoices):
    """The groups of the Decision 766 index as the national portal shows them (2026)."""

    TRANSPARENCY = "transparency", _("Công khai, minh bạch")
    PROGRESS = "progress", _("Tiến độ giải quyết")
    ONLINE = "online", _("Cung cấp dịch vụ công trực tuyến")
    PAYMENT = "payment", _("Thanh toán trực tuyến")
    DIGITIZATION = "digitization", _("Số hóa hồ sơ")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng")


class IndicatorStatus(models.TextChoices):
    """How far an indicator could be computed for a unit and period."""

    SCORED = "scored", _("Đã tính điểm")
    INFO = "info", _("Chỉ theo dõi, không tính điểm")
    NO_DATA = "no_data", _("Không có dữ liệu trong kỳ")
    NO_SOURCE = "no_source", _("Chưa có nguồn dữ liệu")
