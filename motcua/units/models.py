"""
Administrative units (old and new structures), agencies with their electronic
identifiers, one-stop service centres, counters and working calendars.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.models import BaseModel
from motcua.core.text import fold

from .constants import (
    AgencyKind,
    AgencyLevel,
    CalendarDayKind,
    MergeType,
    Structure,
    UnitLevel,
    VerticalBranch,
    YearStatus,
)


class AdministrativeUnit(models.Model):
    """
    A province, (old) district or commune.

    Codes follow Decision 19/2025/QĐ-TTg for the two-level structure (province
    2 digits, commune 5 digits) and Decision 124/2004 for the old one; the same
    code may exist in both structures, hence the structure in the key.
    """

    structure = models.CharField(_("cơ cấu"), max_length=16, choices=Structure.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    code = models.CharField(_("mã"), max_length=8)
    name = models.CharField(_("tên"), max_length=128)
    full_name = models.CharField(_("tên đầy đủ"), max_length=160)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=160, blank=True)
    unit_type = models.CharField(_("loại đơn vị"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    search_name = models.CharField(max_length=160, editable=False, db_index=True)
    alternative_codes = models.CharField(
        _("mã khác"),
        max_length=64,
        blank=True,
        help_text=_("Mã được dùng ở nguồn khác (sai khác giữa các danh mục)."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["structure", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "code"], name="unit_code_unique_per_structure"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)


class AdministrativeUnitRename(models.Model):
    """A change of name or type of a unit between two published revisions."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="renames"
    )
    effective_on = models.DateField(_("ngày hiệu lực"))
    old_full_name = models.CharField(_("tên cũ"), max_length=160)
    new_full_name = models.CharField(_("tên mới"), max_length=160)
    old_unit_type = models.CharField(_("loại cũ"), max_length=64)
    new_unit_type = models.CharField(_("loại mới"), max_length=64)

    class Meta:
        verbose_name = _("thay đổi tên đơn vị")
        verbose_name_plural = _("thay đổi tên đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "effective_on"], name="unit_rename_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_full_name} → {self.new_full_name}"


class UnitSuccession(models.Model):
    """
    Old commune → new commune (arrangement of 01/7/2025), for historical
    addresses and dossiers. ``partial`` means the old commune was split.
    """

    old_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successors"
    )
    new_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessors"
    )
    merge_type = models.CharField(
        _("kiểu sáp nhập"), max_length=16, choices=MergeType.choices
    )
    effective_on = models.DateField(_("ngày hiệu lực"), default=date(2025, 7, 1))

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["old_unit", "new_unit"], name="unit_succession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"


class WorkCalendar(BaseModel):
    """
    Office hours of a unit. Days off come from the national schedule
    (``CalendarDay`` rows without a calendar) plus the calendar's own days.
    """

    code = models.SlugField(_("mã lịch"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=128)
    is_default = models.BooleanField(
        _("lịch mặc định của tỉnh"),
        default=False,
        help_text=_("Dùng cho mọi cơ quan không có lịch riêng."),
    )

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_calendar",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OfficePeriod(models.Model):
    """A half-open office period of every working day, e.g. 07:30–11:30."""

    calendar = models.ForeignKey(
        WorkCalendar, on_delete=models.CASCADE, related_name="periods"
    )
    start = models.TimeField(_("bắt đầu"))
    end = models.TimeField(_("kết thúc"))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="office_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class CalendarYear(BaseModel):
    """Whether a year's schedule of days off is official or only proposed."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=YearStatus.choices
    )
    source = models.TextField(_("căn cứ"), blank=True)

    class Meta:
        verbose_name = _("năm lịch")
        verbose_name_plural = _("năm lịch")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"


class CalendarDay(BaseModel):
    """
    A day that departs from the weekly rule: a weekday off or a worked Saturday.

    Rows without a calendar are the national public-sector schedule (Labour
    Code 2019 Art.111–112 and the yearly Government notices); rows with one
    apply to that unit only.
    """

    calendar = models.ForeignKey(
        WorkCalendar,
        verbose_name=_("lịch riêng"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="days",
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=24, choices=CalendarDayKind.choices)
    is_day_off = models.BooleanField(
        _("là ngày nghỉ"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống khi chưa có quyết định (ví dụ 24/11 Ngày Văn hóa Việt Nam)."
        ),
    )
    name = models.CharField(_("tên"), max_length=160, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    # Text, not a URL field: official notices are often cited by several
    # press links ("https://… ; https://…"), as in data/vn-holidays.
    source_url = models.TextField(
        _("nguồn"), blank=True, help_text=_("Một hoặc nhiều địa chỉ nguồn.")
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("ngày đặc biệt")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(calendar__isnull=True),
                name="national_day_unique",
                violation_error_message=_("Lịch nghỉ quốc gia đã có ngày này."),
            ),
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="calendar_day_unique",
                violation_error_message=_("Lịch này đã có ngày này."),
            ),
            # A make-up Saturday is by definition a working day.
            models.CheckConstraint(
                condition=~Q(kind=CalendarDayKind.MAKEUP_WORKDAY) | Q(is_day_off=False),
                name="calendar_day_makeup_is_working",
                violation_error_message=_("Ngày làm bù phải là ngày làm việc."),
            ),
            # Only a holiday awaiting a decision may leave the question open;
            # any other row without an answer would silently be a working day.
            models.CheckConstraint(
                condition=Q(is_day_off__isnull=False)
                | Q(kind=CalendarDayKind.PENDING_HOLIDAY),
                name="calendar_day_undecided_only_pending",
                violation_error_message=_(
                    "Chỉ ngày nghỉ chờ quyết định mới được để trống “là ngày nghỉ”."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Agency(BaseModel):
    """
    A state body that receives or resolves procedures: provincial committee,
    department, commune committee, vertical agency, a division inside one, or
    a public administrative service centre (TTPVHCC, Decree 118 Art.7).
    """

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=AgencyKind.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=AgencyLevel.choices)
    branch = models.CharField(
        _("ngành dọc"),
        max_length=24,
        choices=VerticalBranch.choices,
        blank=True,
        default="",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    calendar = models.ForeignKey(
        WorkCalendar,
        verbose_name=_("lịch làm việc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống để dùng lịch mặc định của tỉnh."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_service_centre(self) -> bool:
        return self.kind == AgencyKind.SERVICE_CENTRE

    def code_on(self, day: date | None = None) -> str:
        """Return the electronic identifier valid on ``day`` (today by default)."""
        day = day or timezone.localdate()
        codes = [
            c
            for c in self.codes.all()
            if c.valid_from <= day and (c.valid_to is None or day < c.valid_to)
        ]
        if not codes:
            raise LookupError(f"{self.name} has no electronic identifier on {day}.")
        return max(codes, key=lambda c: c.valid_from).code

    @property
    def current_code(self) -> str:
        try:
            return self.code_on()
        except LookupError:
            return ""


class AgencyCode(models.Model):
    """
    An electronic identifier of an agency (Decision 20/2020/QĐ-TTg), valid for a
    period: codes change after mergers, and old dossiers keep their old prefix.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("mã định danh điện tử"), max_length=35)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã định danh điện tử")
        verbose_name_plural = _("mã định danh điện tử")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="agency_code_unique_from"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="agency_code_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Counter(models.Model):
    """A reception counter of a service centre, grouped by sector (Decree 118 Art.13)."""

    centre = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="counters",
        limit_choices_to={"kind": AgencyKind.SERVICE_CENTRE},
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=128)
    sectors = models.CharField(_("lĩnh vực"), max_length=255, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan cử cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staffed_counters",
    )
    is_priority = models.BooleanField(
        _("quầy ưu tiên"),
        default=False,
        help_text=_("Người cao tuổi, phụ nữ mang thai, người khuyết tật."),
    )

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "number"], name="counter_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.centre.short_name or self.centre.name} – {_('Quầy')} {self.number}"
        )


class ReceptionPoint(models.Model):
    """An additional reception point of a commune centre (Decree 118 Art.7(3))."""

    centre = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="reception_points"
    )
    name = models.CharField(_("tên"), max_length=160)
    address = models.CharField(_("địa chỉ"), max_length=255)

    class Meta:
        verbose_name = _("điểm tiếp nhận")
        verbose_name_plural = _("điểm tiếp nhận")

    def __str__(self) -> str:
        return self.name
