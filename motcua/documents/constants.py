from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import DataSource

# Types accepted on upload, detected by content (magic bytes), never by name.
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
ALLOWED_TYPES = (PDF, JPEG, PNG, TIFF)
EXTENSIONS: dict[str, str] = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
}
STORED_EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png", TIFF: "tif"}


class FileKind(models.TextChoices):
    """Why a file is in the store; the same content is stored once."""

    UPLOAD = "upload", _("Tệp tải lên")
    SCAN = "scan", _("Bản số hóa tại quầy")
    RESULT = "result", _("Kết quả điện tử")
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử có chứng thực")
    FORM = "form", _("Biểu mẫu")


class DossierFileKind(models.TextChoices):
    """How a file came to a dossier."""

    UPLOAD = "upload", _("Tải lên")
    SCAN = "scan", _("Số hóa tại quầy")
    REUSED = "reused", _("Tái sử dụng từ Kho dữ liệu")
    NATIONAL_DATABASE = "national_database", _("Khai thác từ CSDL quốc gia")
    FORM = "form", _("Biểu mẫu đã ký")


class ResultKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết TTHC")
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử chứng thực từ bản chính")


class SupersedeReason(models.TextChoices):
    CORRECTION = "correction", _("Đính chính")
    REISSUE = "reissue", _("Cấp lại, thay thế")


class StoreSource(models.TextChoices):
    """Where a document in the personal data store (Kho) comes from."""

    RESULT = "result", _("Kết quả giải quyết TTHC")
    POPULATION = DataSource.POPULATION.value, DataSource.POPULATION.label
    CIVIL_STATUS = DataSource.CIVIL_STATUS.value, DataSource.CIVIL_STATUS.label
    BUSINESS = DataSource.BUSINESS.value, DataSource.BUSINESS.label
    LAND = DataSource.LAND.value, DataSource.LAND.label
    INSURANCE = DataSource.INSURANCE.value, DataSource.INSURANCE.label


NATIONAL_DATABASE_SOURCES = frozenset(StoreSource.values) - {StoreSource.RESULT}

# Result-type code of electronic certified copies from originals (Decree
# 45/2020 Art.10); a deployment may use the national catalog's code instead.
CERTIFIED_COPY_RESULT_TYPE = "KQ-BAN-SAO-CHUNG-THUC"
