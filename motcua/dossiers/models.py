"""
Dossiers and their history: components, fees, processing steps, hand-overs
(the electronic control sheet), events, supplements, extensions,
consultations and corrections.

Only ``motcua.dossiers.services`` writes these tables (style guide §4.1.2);
events and hand-overs are append-only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import Channel, CopyType, FeeStage
from motcua.core.models import BaseModel

from .constants import (
    PORTAL_STATUS_CODES,
    ApplicantType,
    ComponentSource,
    ConsultationStatus,
    DossierAction,
    DossierStatus,
    FeeStatus,
    HandOverKind,
    Phase,
    ResultKind,
    ReturnMethod,
    StepStatus,
    Timeliness,
)
from .querysets import DossierQuerySet


def new_lookup_secret() -> str:
    # 8 characters from an alphabet without look-alikes, printed on Mẫu 01.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Dossier(BaseModel):
    """
    A dossier (hồ sơ) of one procedure version, from submission to return.

    ``status`` is stored for queries; the events are the history. ``due_at``
    is derived by the services from the reception, pauses, supplements and
    extension, and stored so that queues can sort on it.
    """

    code = models.CharField(
        _("mã hồ sơ"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "Nghị định 118/2025 Điều 28: mã định danh cơ quan + ngày tiếp nhận + số thứ tự; cấp khi tiếp nhận."
        ),
    )
    lookup_secret = models.CharField(
        _("mã bí mật tra cứu"), max_length=16, default=new_lookup_secret
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.SUBMITTED,
    )
    sub_state = models.CharField(_("trạng thái chi tiết"), max_length=32, blank=True)
    receiving_centre = models.ForeignKey(
        "units.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    portal_id = models.CharField(
        _("mã hồ sơ trên Cổng DVC quốc gia"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
    )
    book_year = models.PositiveSmallIntegerField(
        _("sổ theo dõi năm"), null=True, blank=True
    )
    book_sequence = models.PositiveIntegerField(
        _("số thứ tự trong sổ"),
        null=True,
        blank=True,
        help_text=_(
            "Sổ theo dõi hồ sơ (Mẫu 07): số thứ tự liên tục trong năm, không bắt đầu lại."
        ),
    )
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    paper_sets = models.PositiveSmallIntegerField(_("số lượng hồ sơ (bộ)"), default=1)

    # Applicant (chủ hồ sơ) as given at submission; LoaiDoiTuong 1–4.
    applicant_type = models.CharField(
        _("loại đối tượng"),
        max_length=16,
        choices=ApplicantType.choices,
        default=ApplicantType.PERSON,
    )
    applicant_id_number = models.CharField(
        _("số định danh"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("Số định danh cá nhân (12 số) hoặc mã số doanh nghiệp, tổ chức."),
    )
    applicant_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    applicant_search = models.CharField(max_length=255, editable=False, db_index=True)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("xã/phường cư trú"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    identity_verified = models.BooleanField(
        _("đã xác thực định danh (VNeID)"),
        default=False,
        help_text=_("Nghị định 118/2025 Điều 17(1)(a)."),
    )
    representative_name = models.CharField(
        _("người được ủy quyền"), max_length=255, blank=True
    )
    representative_id_number = models.CharField(
        _("số định danh người được ủy quyền"), max_length=32, blank=True
    )
    representative_phone = models.CharField(
        _("điện thoại người được ủy quyền"), max_length=32, blank=True
    )

    return_method = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=16,
        choices=ReturnMethod.choices,
        default=ReturnMethod.COUNTER,
    )
    return_address = models.CharField(
        _("địa chỉ nhận kết quả"), max_length=500, blank=True
    )

    # The clock. ``duration_*`` are copied from the version at reception so a
    # later catalog change does not move a running deadline.
    submitted_at = models.DateTimeField(_("nộp lúc"))
    acceptance_due_at = models.DateTimeField(
        _("hạn tiếp nhận hồ sơ trực tuyến"),
        null=True,
        blank=True,
        help_text=_(
            "Nghị định 118/2025 Điều 17(2): tiếp nhận hoặc trả lại trong 8 giờ làm việc."
        ),
    )
    acceptance_breached = models.BooleanField(
        _("quá hạn tiếp nhận trực tuyến"), default=False
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    clock_started_at = models.DateTimeField(
        _("bắt đầu tính thời hạn"), null=True, blank=True
    )
    due_at = models.DateTimeField(
        _("hẹn trả kết quả"), null=True, blank=True, db_index=True
    )
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(
        _("thời gian tạm dừng (phút làm việc)"), default=0
    )
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    refused_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(
        _("kết thúc xử lý"),
        null=True,
        blank=True,
        help_text=_(
            "Thời điểm xử lý xong, nếu không có thì trả kết quả, dừng hoặc từ chối."
        ),
    )
    timeliness = models.CharField(
        _("kết quả đúng hạn"), max_length=16, choices=Timeliness.choices, blank=True
    )
    counted_late = models.BooleanField(
        _("tính là quá hạn"),
        default=False,
        help_text=_(
            "Vi phạm quy định (ví dụ yêu cầu bổ sung nhiều hơn một lần): tính quá hạn theo Quyết định 766."
        ),
    )
    counted_late_reason = models.CharField(
        _("lý do tính quá hạn"), max_length=255, blank=True
    )
    duration_value = models.DecimalField(
        _("thời hạn"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    duration_unit = models.CharField(_("đơn vị thời hạn"), max_length=24, blank=True)
    cutoff_time = models.TimeField(_("giờ chốt nhận"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)

    result_kind = models.CharField(
        _("kết quả"), max_length=16, choices=ResultKind.choices, blank=True
    )
    result_summary = models.TextField(_("nội dung kết quả"), blank=True)
    decision_reason = models.TextField(_("lý do từ chối / dừng"), blank=True)
    withdrawal_requested_at = models.DateTimeField(
        _("yêu cầu rút lúc"), null=True, blank=True
    )

    # Optimistic concurrency: incremented by every service call.
    version = models.PositiveIntegerField(_("phiên bản dữ liệu"), default=1)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(
                fields=["competent_agency", "status", "due_at"],
                name="dossier_agency_queue",
            ),
            models.Index(
                fields=["receiving_centre", "status", "due_at"],
                name="dossier_centre_queue",
            ),
            models.Index(fields=["received_at"], name="dossier_received_at"),
            models.Index(fields=["finished_at"], name="dossier_finished_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DossierStatus.SUBMITTED)
                | Q(status=DossierStatus.REFUSED)
                | Q(status=DossierStatus.NEEDS_SUPPLEMENT, received_at__isnull=True)
                | Q(status=DossierStatus.STOPPED, received_at__isnull=True)
                | Q(
                    code__isnull=False, received_at__isnull=False, due_at__isnull=False
                ),
                name="dossier_received_has_code_and_due",
            ),
            models.CheckConstraint(
                condition=~Q(status=DossierStatus.RETURNED)
                | Q(returned_at__isnull=False),
                name="dossier_returned_has_timestamp",
            ),
            models.CheckConstraint(
                condition=Q(extension_count__lte=1),
                name="dossier_extended_at_most_once",
            ),
            models.UniqueConstraint(
                fields=["receiving_centre", "book_year", "book_sequence"],
                condition=Q(book_sequence__isnull=False),
                name="dossier_book_sequence_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    @property
    def portal_status(self) -> int:
        return PORTAL_STATUS_CODES[self.status]

    @property
    def is_received(self) -> bool:
        return self.received_at is not None


class DossierComponent(models.Model):
    """A document of the dossier, with where it came from (Decree 118 Art.17(1))."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="components"
    )
    component = models.ForeignKey(
        "catalog.Component",
        verbose_name=_("thành phần theo thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.TextField(_("tên giấy tờ"))
    copy_type = models.CharField(
        _("loại bản"),
        max_length=24,
        choices=CopyType.choices,
        default=CopyType.ORIGINAL,
    )
    paper_count = models.PositiveSmallIntegerField(
        _("số lượng (bản/trang giấy)"), default=0
    )
    source = models.CharField(
        _("nguồn"), max_length=24, choices=ComponentSource.choices
    )
    is_digitized = models.BooleanField(_("đã số hóa"), default=False)
    is_reused = models.BooleanField(_("tái sử dụng"), default=False)
    reuse_reference = models.CharField(
        _("nguồn tái sử dụng"),
        max_length=128,
        blank=True,
        help_text=_(
            "Mã số giấy tờ trong Kho dữ liệu hoặc mã CSDL đã khai thác (MaKetQuaThayThe / MaCSDL)."
        ),
    )
    page_count = models.PositiveSmallIntegerField(
        _("số trang bản số hóa"), null=True, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["dossier", "order", "pk"]

    def __str__(self) -> str:
        return self.name[:80]


class DossierFeeQuerySet(models.QuerySet):
    def payable(self) -> "DossierFeeQuerySet":
        """Fees still to be paid: due, and not of zero amount."""
        return self.filter(status=FeeStatus.DUE, amount__gt=0)


class DossierFee(models.Model):
    """A fee or charge due on the dossier, taken from the procedure version."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    fee_item = models.ForeignKey(
        "catalog.FeeItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("mã"), max_length=32, blank=True)
    name = models.CharField(_("tên"), max_length=255)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    stage = models.CharField(
        _("thời điểm thu"), max_length=16, choices=FeeStage.choices
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=FeeStatus.choices, default=FeeStatus.DUE
    )
    paid_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    payment_reference = models.CharField(_("mã giao dịch"), max_length=128, blank=True)

    objects = DossierFeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="dossier_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,.0f} đ ({self.get_status_display()})"


class DossierStep(models.Model):
    """
    A processing step instantiated from the procedure's template at reception.

    Steps of the same ``block`` run in parallel, one ``lane`` per agency;
    blocks run in order (Decree 118 Art.20(2)).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    block = models.PositiveSmallIntegerField(_("giai đoạn"))
    lane = models.CharField(_("luồng"), max_length=32, blank=True)
    name = models.CharField(_("tên bước"), max_length=255)
    kind = models.CharField(_("loại bước"), max_length=16)
    role = models.CharField(_("vai trò thực hiện"), max_length=24)
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    is_lead = models.BooleanField(_("cơ quan chủ trì"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=StepStatus.choices,
        default=StepStatus.PENDING,
    )
    allotted_minutes = models.PositiveIntegerField(
        _("thời gian được giao (phút làm việc)")
    )
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timeliness = models.CharField(
        _("kết quả"), max_length=16, choices=Timeliness.choices, blank=True
    )
    used_minutes = models.PositiveIntegerField(
        _("thời gian đã dùng (phút làm việc)"), null=True, blank=True
    )
    result_note = models.TextField(_("kết quả xử lý"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier", "order"]
        indexes = [
            models.Index(
                fields=["agency", "status", "due_at"], name="step_agency_queue"
            ),
            models.Index(
                fields=["assignee", "status", "due_at"], name="step_assignee_queue"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "order"], name="dossier_step_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class HandOver(models.Model):
    """
    One hand-over of the dossier: the electronic control sheet (Mẫu 06) row.

    Append-only. ``timeliness`` is the giver's result against the due time of
    the step it finished.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="handovers"
    )
    step = models.ForeignKey(
        DossierStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=HandOverKind.choices)
    from_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("bên giao"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("bên nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiver_label = models.CharField(
        _("bên nhận (người nộp)"), max_length=255, blank=True
    )
    handed_at = models.DateTimeField(_("thời gian giao, nhận"))
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    timeliness = models.CharField(
        _("kết quả"), max_length=16, choices=Timeliness.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("giao nhận hồ sơ")
        verbose_name_plural = _("giao nhận hồ sơ")
        ordering = ["dossier", "handed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.handed_at:%d/%m/%Y %H:%M} {self.from_agency} → {self.to_agency or self.receiver_label}"


class DossierEvent(models.Model):
    """
    What happened to a dossier: the append-only timeline, the source of the
    control sheet, the portal sync (QuaTrinhXuLy) and every statistic.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("thao tác"), max_length=32, choices=DossierAction.choices
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=24, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.ForeignKey(
        DossierStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    note = models.TextField(_("nội dung"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    due_at = models.DateTimeField(_("hạn sau thao tác"), null=True, blank=True)
    is_public = models.BooleanField(_("hiển thị cho người nộp"), default=True)
    created_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "created_at", "pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="event_action_time"),
            models.Index(fields=["created_at"], name="event_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        # Append-only: an event, once written, is history.
        if self.pk is not None and not kwargs.pop("force_rewrite", False):
            raise ValueError("Dossier events are append-only.")
        super().save(*args, **kwargs)


class SupplementRequest(models.Model):
    """A request to complete the dossier (Mẫu 02), once per phase."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    phase = models.CharField(_("giai đoạn"), max_length=16, choices=Phase.choices)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("đơn vị yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("lý do"))
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    respond_by = models.DateTimeField(
        _("hạn bổ sung"),
        help_text=_(
            "Quá 15 ngày không bổ sung thì dừng giải quyết (Nghị định 118/2025 Điều 19(5))."
        ),
    )
    supplied_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("dừng do không bổ sung lúc"), null=True, blank=True
    )
    previous_due_at = models.DateTimeField(_("hẹn trả trước"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("hẹn trả mới"), null=True, blank=True)
    breaches_rule = models.CharField(_("vi phạm quy định"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]
        indexes = [
            models.Index(
                fields=["supplied_at", "closed_at", "respond_by"],
                name="supplement_open",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.dossier} – {self.get_phase_display()} {self.requested_at:%d/%m/%Y}"
        )


class Extension(models.Model):
    """An apology and extension (Mẫu 04), at most once per dossier."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="extension"
    )
    requested_at = models.DateTimeField(_("lập lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan xin lỗi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField(_("hẹn trả cũ"))
    new_due_at = models.DateTimeField(_("hẹn trả mới"))

    class Meta:
        verbose_name = _("xin lỗi và gia hạn")
        verbose_name_plural = _("xin lỗi và gia hạn")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("previous_due_at")),
                name="extension_moves_due_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.previous_due_at:%d/%m/%Y} → {self.new_due_at:%d/%m/%Y}"


class Consultation(models.Model):
    """A request for the opinion of another agency, with its own deadline (Art.19(4))."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="consultations"
    )
    from_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan hỏi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("cơ quan được hỏi"),
        on_delete=models.PROTECT,
        related_name="consultations_received",
    )
    question = models.TextField(_("nội dung lấy ý kiến"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("gửi lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
    )
    answer = models.TextField(_("ý kiến trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    timeliness = models.CharField(
        _("kết quả"), max_length=16, choices=Timeliness.choices, blank=True
    )

    class Meta:
        verbose_name = _("lấy ý kiến")
        verbose_name_plural = _("lấy ý kiến")
        ordering = ["dossier", "asked_at"]
        indexes = [
            models.Index(fields=["to_agency", "status"], name="consultation_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.from_agency} → {self.to_agency}"


class ResultCorrection(models.Model):
    """A correction of an erroneous result, due within 3 working days (Art.23(1))."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="corrections"
    )
    reported_at = models.DateTimeField(_("phát hiện sai sót lúc"))
    due_at = models.DateTimeField(_("hạn đính chính"))
    corrected_at = models.DateTimeField(_("đính chính lúc"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("nội dung đính chính"))
    on_time = models.BooleanField(_("đúng hạn"))

    class Meta:
        verbose_name = _("đính chính kết quả")
        verbose_name_plural = _("đính chính kết quả")

    def __str__(self) -> str:
        return f"{self.dossier} {self.corrected_at:%d/%m/%Y}"
