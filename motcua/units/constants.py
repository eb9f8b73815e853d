from django.db import models
from django.utils.translation import gettext_lazy as _


class Structure(models.TextChoices):
    TWO_LEVEL = "two_level", _("Hai cấp (từ 01/7/2025)")
    THREE_LEVEL = "three_level", _("Ba cấp (trước 01/7/2025)")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/Thành phố")
    DISTRICT = "district", _("Huyện/Quận (cũ)")
    COMMUNE = "commune", _("Xã/Phường/Đặc khu")


class MergeType(models.TextChoices):
    # Arrangement of 01/7/2025 (Resolutions 1654–1687/NQ-UBTVQH15).
    FULL = "full", _("Nhập toàn bộ")
    PARTIAL = "partial", _("Nhập một phần (đơn vị cũ bị chia)")


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND tỉnh")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Sở, ban, ngành tỉnh")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    VERTICAL = "vertical", _("Cơ quan ngành dọc")
    DIVISION = "division", _("Phòng, đơn vị trực thuộc")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class VerticalBranch(models.TextChoices):
    NONE = "", _("Không")
    POLICE = "police", _("Công an")
    TAX = "tax", _("Thuế")
    SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
    LAND_REGISTRY = "land_registry", _("Văn phòng đăng ký đất đai")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    HOLIDAY_ON_WEEKEND = "holiday_on_weekend", _("Ngày lễ trùng ngày nghỉ hằng tuần")
    COMPENSATORY = "compensatory", _("Nghỉ bù")
    SWAPPED_DAY_OFF = "swapped_day_off", _("Nghỉ do hoán đổi ngày làm việc")
    MAKEUP_WORKDAY = "makeup_workday", _("Làm bù (thứ Bảy đi làm)")
    PENDING_HOLIDAY = "pending_holiday", _("Ngày nghỉ chờ quyết định")
    LOCAL_DAY_OFF = "local_day_off", _("Ngày nghỉ riêng của đơn vị")


class YearStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã có lịch chính thức")
    PROPOSED = "proposed", _("Đề xuất từ ngày lễ luật định (chưa chính thức)")
