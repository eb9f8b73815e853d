"""
The procedure catalog: procedures, their versions, components, fees, result
types and process templates (steps and inter-agency participants).

A published version is immutable; a dossier always points at the version in
force when it was received.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.core.models import BaseModel
from motcua.core.text import fold
from motcua.units.constants import AgencyKind, VerticalBranch

from .constants import (
    CopyType,
    DataSource,
    DurationUnit,
    FeeKind,
    FeeStage,
    OnlineLevel,
    ParticipantRole,
    StepDurationUnit,
    StepKind,
    UnitRole,
    VersionStatus,
)


class Sector(models.Model):
    """A field of administration (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    code = models.CharField(
        _("mã"),
        max_length=64,
        unique=True,
        help_text=_(
            "Mã lĩnh vực; danh mục nhập từ CSDL quốc gia dùng tên lĩnh vực viết không dấu."
        ),
    )
    name = models.CharField(_("tên"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class Procedure(BaseModel):
    """An administrative procedure of the national catalog (e.g. 1.004222)."""

    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)
    # Names in the national catalogue reach 1,094 characters.
    name = models.CharField(_("tên thủ tục"), max_length=1500)
    sector = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), null=True, on_delete=models.PROTECT
    )
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    search_name = models.CharField(max_length=1600, editable=False, db_index=True)
    agencies = models.ManyToManyField(
        "units.Agency",
        verbose_name=_("cơ quan giải quyết trong tỉnh"),
        blank=True,
        related_name="procedures",
        help_text=_("Danh mục TTHC của tỉnh: cơ quan nào giải quyết thủ tục này."),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)


class ProcedureVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(BaseModel):
    """One version of a procedure: what the law requires at a given time."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
    )
    name = models.CharField(_("tên thủ tục"), max_length=1500)
    decision_number = models.CharField(
        _("quyết định công bố"), max_length=128, blank=True
    )
    levels = models.JSONField(_("cấp thực hiện"), default=list, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=128, blank=True)
    competent_agency_kind = models.CharField(
        _("loại cơ quan có thẩm quyền"),
        max_length=32,
        choices=AgencyKind.choices,
        blank=True,
    )
    competent_branch = models.CharField(
        _("ngành dọc có thẩm quyền"),
        max_length=24,
        choices=VerticalBranch.choices,
        blank=True,
        default="",
    )
    competent_agency_text = models.TextField(
        _("cơ quan có thẩm quyền (theo danh mục)"), blank=True
    )
    implementing_agency_text = models.TextField(
        _("cơ quan thực hiện (theo danh mục)"), blank=True
    )
    applicant_types = models.CharField(
        _("đối tượng thực hiện"), max_length=500, blank=True
    )
    channels = models.JSONField(_("cách thức thực hiện"), default=list, blank=True)
    online_level = models.CharField(
        _("mức trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    boundary_free = models.BooleanField(
        _("tiếp nhận không phụ thuộc địa giới hành chính"),
        default=True,
        help_text=_(
            "Nghị định 118/2025 Điều 14(2): 100% TTHC phi địa giới trong tỉnh từ 31/12/2025."
        ),
    )
    duration_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    duration_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=24, choices=DurationUnit.choices, blank=True
    )
    cutoff_time = models.TimeField(
        _("giờ chốt nhận"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ nhận từ giờ này trở đi được tính từ ngày làm việc tiếp theo (ví dụ 15:00)."
        ),
    )
    duration_text = models.TextField(_("thời hạn (nguyên văn)"), blank=True)
    is_inter_agency = models.BooleanField(_("liên thông"), default=False)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_text = models.TextField(_("kết quả thực hiện"), blank=True)
    steps_text = models.TextField(_("trình tự thực hiện (nguyên văn)"), blank=True)
    components_text = models.TextField(_("thành phần hồ sơ (nguyên văn)"), blank=True)
    fees_text = models.TextField(_("phí, lệ phí (nguyên văn)"), blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    import_source = models.CharField(
        _("nhập từ"),
        max_length=32,
        blank=True,
        help_text=_(
            "Tệp dữ liệu mà lệnh import-catalog đã nhập phiên bản này; để trống nếu "
            "phiên bản do quản trị viên tạo. Lệnh nhập chỉ cập nhật phiên bản 1 do nó tạo."
        ),
    )
    import_notes = models.TextField(
        _("ghi chú nhập liệu"),
        blank=True,
        help_text=_(
            "Vì sao bản ghi được nhập ở dạng dự thảo, hoặc những gì không đọc được."
        ),
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="one_published_version_per_procedure",
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.PUBLISHED) | Q(duration_unit__gt=""),
                name="published_version_has_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} – {self.name}"

    @property
    def duration_label(self) -> str:
        if self.duration_unit == DurationUnit.IMMEDIATE:
            return str(_("Trong ngày"))
        if self.duration_value is None:
            return ""
        value = (
            self.duration_value.normalize()
            if self.duration_value % 1
            else int(self.duration_value)
        )
        return f"{value} {self.get_duration_unit_display()}"


class Component(models.Model):
    """A document of the dossier (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã thành phần"), max_length=32, blank=True)
    name = models.TextField(_("tên giấy tờ"))
    case = models.CharField(
        _("trường hợp"),
        max_length=500,
        blank=True,
        help_text=_(
            "Trường hợp áp dụng giấy tờ này (theo danh mục); để trống nếu áp dụng cho mọi trường hợp."
        ),
    )
    required = models.BooleanField(_("bắt buộc"), default=True)
    copy_type = models.CharField(
        _("loại bản"),
        max_length=24,
        choices=CopyType.choices,
        default=CopyType.ORIGINAL,
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    reusable_source = models.CharField(
        _("có thể lấy từ"),
        max_length=24,
        choices=DataSource.choices,
        blank=True,
        default="",
    )
    result_type_code = models.CharField(
        _("mã loại kết quả thay thế"),
        max_length=64,
        blank=True,
        help_text=_(
            "Kết quả TTHC có mã này trong Kho dữ liệu thay cho giấy tờ (không yêu cầu nộp lại)."
        ),
    )
    presented_only = models.BooleanField(_("chỉ xuất trình"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.name[:80]


class FeeItem(models.Model):
    """A fee or charge of a procedure, possibly different per channel."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="fees"
    )
    code = models.CharField(_("mã phí, lệ phí"), max_length=32, blank=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=16, choices=FeeKind.choices, default=FeeKind.CHARGE
    )
    amount = models.DecimalField(_("mức thu (đồng)"), max_digits=14, decimal_places=0)
    channel = models.CharField(
        _("áp dụng cho kênh"),
        max_length=16,
        blank=True,
        default="",
        help_text=_("Để trống nếu áp dụng cho mọi kênh."),
    )
    stage = models.CharField(
        _("thời điểm thu"),
        max_length=16,
        choices=FeeStage.choices,
        default=FeeStage.RECEPTION,
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="fee_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,.0f} đ"


class ResultType(models.Model):
    """A kind of result document, with its code in the national catalog."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="result_types"
    )
    code = models.CharField(_("mã loại kết quả"), max_length=64)
    name = models.CharField(_("tên kết quả"), max_length=500)
    validity = models.CharField(_("thời hạn hiệu lực"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("loại kết quả")
        verbose_name_plural = _("loại kết quả")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class ParticipantTemplate(models.Model):
    """
    An agency taking part in an inter-agency procedure (Decree 118 Art.20).

    Participants with the same ``stage`` work in parallel; stages run in order
    (Art.20(2)(a) sequential chain, Art.20(2)(b) parallel with a lead agency).
    """

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="participants"
    )
    stage = models.PositiveSmallIntegerField(_("giai đoạn"), default=1)
    role = models.CharField(
        _("vai trò"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    agency_kind = models.CharField(
        _("loại cơ quan"), max_length=32, choices=AgencyKind.choices
    )
    branch = models.CharField(
        _("ngành dọc"),
        max_length=24,
        choices=VerticalBranch.choices,
        blank=True,
        default="",
    )
    work = models.CharField(_("nội dung công việc"), max_length=255)
    result_type_code = models.CharField(
        _("mã kết quả của cơ quan"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("cơ quan liên thông")
        verbose_name_plural = _("cơ quan liên thông")
        ordering = ["version", "stage", "pk"]

    def __str__(self) -> str:
        return f"{self.stage}. {self.get_agency_kind_display()} – {self.work}"


class StepTemplate(models.Model):
    """A processing step with its allotted working time."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    kind = models.CharField(_("loại bước"), max_length=16, choices=StepKind.choices)
    unit_role = models.CharField(
        _("đơn vị thực hiện"),
        max_length=24,
        choices=UnitRole.choices,
        default=UnitRole.COMPETENT_AGENCY,
    )
    participant = models.ForeignKey(
        ParticipantTemplate,
        verbose_name=_("cơ quan liên thông"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="steps",
    )
    role = models.CharField(_("vai trò thực hiện"), max_length=24, choices=Role.choices)
    allotted_value = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    allotted_unit = models.CharField(
        _("đơn vị"),
        max_length=24,
        choices=StepDurationUnit.choices,
        default=StepDurationUnit.WORKING_HOURS,
    )
    notify_applicant = models.BooleanField(_("thông báo cho người nộp"), default=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="step_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(allotted_value__gt=0), name="step_allotment_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_role=UnitRole.PARTICIPANT, participant__isnull=False)
                | (~Q(unit_role=UnitRole.PARTICIPANT) & Q(participant__isnull=True)),
                name="step_participant_iff_participant_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
