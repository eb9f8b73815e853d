from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import DurationUnit as _DurationUnit


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Hết hiệu lực")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = _DurationUnit.WORKING_DAYS.value, _("ngày làm việc")
    WORKING_HOURS = _DurationUnit.WORKING_HOURS.value, _("giờ làm việc")
    CALENDAR_DAYS = _DurationUnit.CALENDAR_DAYS.value, _("ngày")
    CALENDAR_MONTHS = _DurationUnit.CALENDAR_MONTHS.value, _("tháng")
    IMMEDIATE = _DurationUnit.IMMEDIATE.value, _("trong ngày")


class StepDurationUnit(models.TextChoices):
    WORKING_DAYS = _DurationUnit.WORKING_DAYS.value, _("ngày làm việc")
    WORKING_HOURS = _DurationUnit.WORKING_HOURS.value, _("giờ làm việc")


class Channel(models.TextChoices):
    """Submission channel; values match the portal's KenhThucHien (1/2/3)."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính")


CHANNEL_PORTAL_CODES = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ImplementingLevel(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


class CopyType(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    COPY = "copy", _("Bản sao")
    ELECTRONIC = "electronic", _("Bản điện tử")
    PRESENTED = "presented", _("Xuất trình")


class DataSource(models.TextChoices):
    """Where a component may be taken from instead of asking the applicant."""

    NONE = "", _("Không")
    PERSONAL_STORE = "personal_store", _("Kho dữ liệu của tổ chức, cá nhân")
    POPULATION = "population", _("CSDL quốc gia về dân cư")
    CIVIL_STATUS = "civil_status", _("CSDL hộ tịch điện tử")
    BUSINESS = "business", _("CSDL quốc gia về đăng ký doanh nghiệp")
    LAND = "land", _("CSDL đất đai")
    INSURANCE = "insurance", _("CSDL bảo hiểm")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class FeeStage(models.TextChoices):
    """When a fee is collected; values map to the portal's HinhThucThu 1/2/4."""

    RECEPTION = "reception", _("Khi tiếp nhận")
    SUPPLEMENT = "supplement", _("Khi bổ sung")
    RETURN = "return", _("Khi trả kết quả")


class StepKind(models.TextChoices):
    RECEPTION = "reception", _("Tiếp nhận, chuyển hồ sơ")
    ASSIGNMENT = "assignment", _("Phân công xử lý")
    APPRAISAL = "appraisal", _("Thẩm định, xử lý")
    VERIFICATION = "verification", _("Xác minh")
    REVIEW = "review", _("Xem xét, trình ký")
    SIGNING = "signing", _("Ký duyệt kết quả")
    RETURN = "return", _("Trả kết quả")


class UnitRole(models.TextChoices):
    """Which unit performs a step, resolved for each dossier."""

    RECEIVING_CENTRE = "receiving_centre", _("Bộ phận một cửa tiếp nhận")
    COMPETENT_AGENCY = "competent_agency", _("Cơ quan có thẩm quyền")
    PARTICIPANT = "participant", _("Cơ quan phối hợp (liên thông)")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    PARTICIPANT = "participant", _("Phối hợp")
