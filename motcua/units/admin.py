"""
Admin of administrative units, agencies and calendars, for a province's IT
officer. Units are reference data loaded by ``motcua import-units`` and are
read-only here. Every write to calendars and agencies goes through
``motcua.units.services`` (validation, audit log, calendar cache).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.core.text import fold

from . import services
from .constants import AgencyKind, YearStatus
from .models import (
    AdministrativeUnit,
    AdministrativeUnitRename,
    Agency,
    AgencyCode,
    CalendarDay,
    CalendarYear,
    Counter,
    OfficePeriod,
    ReceptionPoint,
    UnitSuccession,
    WorkCalendar,
)

WEEKDAYS = [
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
]


class FoldedSearchAdmin(admin.ModelAdmin):
    """Also match the diacritic-free name: "hoa lac" finds "Xã Hoà Lạc"."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        folded = fold(search_term)
        if folded:
            results |= queryset.filter(search_name__contains=folded)
        return results, may_have_duplicates


# --------------------------------------------------------------------------
# Administrative units (read-only)
# --------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RenameInline(ReadOnlyInline):
    model = AdministrativeUnitRename
    fields = [
        "effective_on",
        "old_full_name",
        "new_full_name",
        "old_unit_type",
        "new_unit_type",
    ]


class SuccessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "old_unit"
    fields = ["new_unit", "merge_type", "effective_on"]
    verbose_name = _("đơn vị kế thừa (sau 01/7/2025)")
    verbose_name_plural = _("đơn vị kế thừa (sau 01/7/2025)")


class PredecessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "new_unit"
    fields = ["old_unit", "merge_type", "effective_on"]
    verbose_name = _("đơn vị trước sắp xếp")
    verbose_name_plural = _("đơn vị trước sắp xếp")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchAdmin):
    list_display = [
        "code",
        "full_name",
        "unit_type",
        "level",
        "structure",
        "parent",
        "valid_to",
    ]
    list_filter = ["structure", "level", "unit_type"]
    search_fields = ["code", "full_name", "alternative_codes"]
    list_select_related = ["parent"]
    list_per_page = 50
    inlines = [RenameInline, SuccessorInline, PredecessorInline]

    # Loaded by `motcua import-units`; nobody edits the national lists here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "branch",
            "parent",
            "administrative_unit",
            "calendar",
            "address",
            "phone",
            "email",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        try:
            services.agency_parent_check(self.instance, cleaned.get("parent"))
        except DomainError as error:
            raise ValidationError({"parent": str(error.message)}) from None
        return cleaned


class AgencyCodeInline(admin.TabularInline):
    model = AgencyCode
    extra = 0


class CounterInline(admin.TabularInline):
    model = Counter
    fk_name = "centre"
    extra = 0
    autocomplete_fields = ["agency"]


class ReceptionPointInline(admin.TabularInline):
    model = ReceptionPoint
    extra = 0


@admin.register(Agency)
class AgencyAdmin(FoldedSearchAdmin):
    form = AgencyForm
    readonly_fields = ["created_at", "updated_at"]
    list_display = [
        "name",
        "short_name",
        "kind",
        "level",
        "administrative_unit",
        "code",
        "is_active",
    ]
    list_filter = ["kind", "level", "branch", "is_active"]
    search_fields = ["name", "short_name", "codes__code"]
    autocomplete_fields = ["parent", "administrative_unit"]
    list_select_related = ["administrative_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("codes")

    def get_inlines(self, request, obj):
        # Counters and extra reception points belong to service centres.
        if obj is not None and obj.kind == AgencyKind.SERVICE_CENTRE:
            return [AgencyCodeInline, CounterInline, ReceptionPointInline]
        return [AgencyCodeInline]

    @admin.display(description=_("mã định danh điện tử"))
    def code(self, obj: Agency) -> str:
        return obj.current_code

    def save_model(self, request, obj, form, change):
        services.agency_save(agency=obj, actor=request.user)


# --------------------------------------------------------------------------
# Calendars
# --------------------------------------------------------------------------


class CalendarAdmin(admin.ModelAdmin):
    """Route every save and delete through the calendar services."""

    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.calendar_object_save(obj=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.calendar_object_delete(obj=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_object_delete(obj=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        if formset.model is OfficePeriod:
            services.office_periods_save(
                calendar=form.instance,
                saved=saved,
                deleted=formset.deleted_objects,
                actor=request.user,
            )
        else:
            for obj in formset.deleted_objects:
                services.calendar_object_delete(obj=obj, actor=request.user)
            for obj in saved:
                services.calendar_object_save(obj=obj, actor=request.user)
        formset.save_m2m()


class OfficePeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        periods = [
            (f.cleaned_data["start"], f.cleaned_data["end"])
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("start")
            and f.cleaned_data.get("end")
        ]
        try:
            services.office_periods_check(periods)
        except DomainError as error:
            raise ValidationError(str(error.message)) from None


class OfficePeriodInline(admin.TabularInline):
    model = OfficePeriod
    formset = OfficePeriodFormSet
    extra = 0


class UnitCalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "is_day_off", "name", "note"]
    extra = 0
    verbose_name = _("ngày nghỉ hoặc làm việc riêng của đơn vị")
    verbose_name_plural = _("ngày nghỉ hoặc làm việc riêng của đơn vị")


@admin.register(WorkCalendar)
class WorkCalendarAdmin(CalendarAdmin):
    list_display = ["code", "name", "is_default", "office_hours"]
    search_fields = ["code", "name"]
    inlines = [OfficePeriodInline, UnitCalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("periods")

    @admin.display(description=_("giờ làm việc"))
    def office_hours(self, obj: WorkCalendar) -> str:
        periods = [str(p) for p in obj.periods.all()]
        return ", ".join(periods) or str(_("mặc định (07:30–11:30, 13:30–17:30)"))


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=self.value())
        return queryset


class NationalDayForm(forms.ModelForm):
    def clean_date(self):
        # The unique constraint on national days is conditional on the
        # calendar, which this form does not show, so the form skips it.
        day = self.cleaned_data["date"]
        others = CalendarDay.objects.filter(calendar__isnull=True, date=day)
        if others.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Lịch nghỉ quốc gia đã có ngày này."))
        return day

    class Meta:
        model = CalendarDay
        fields = [
            "date",
            "kind",
            "is_day_off",
            "name",
            "legal_basis",
            "source_url",
            "note",
        ]


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdmin):
    """The national public-sector schedule; a unit's own days are on its calendar."""

    form = NationalDayForm
    list_display = ["date", "weekday", "kind", "is_day_off", "name"]
    list_filter = [YearFilter, "kind", "is_day_off"]
    search_fields = ["name", "legal_basis", "note"]
    date_hierarchy = "date"
    ordering = ["-date"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(calendar__isnull=True)

    @admin.display(description=_("thứ"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ["year", "status", "national_days", "source"]
    list_filter = ["status"]
    actions = ["propose_days_off"]

    def get_queryset(self, request):
        days = (
            CalendarDay.objects.filter(
                calendar__isnull=True, date__year=OuterRef("year")
            )
            .order_by()
            .values("calendar")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(day_count=Coalesce(Subquery(days), 0))
        )

    @admin.display(description=_("số ngày đặc biệt"), ordering="day_count")
    def national_days(self, obj: CalendarYear) -> int:
        return getattr(obj, "day_count", 0)  # annotated by get_queryset

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.status == YearStatus.PROPOSED:
            self._propose(request, [obj])

    @admin.action(description=_("Đề xuất ngày nghỉ từ ngày lễ luật định"))
    def propose_days_off(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._propose(request, list(queryset))

    def _propose(self, request: HttpRequest, years: list[CalendarYear]) -> None:
        for year in years:
            try:
                created = services.calendar_propose_year(year.year, actor=request.user)[
                    1
                ]
            except DomainError as error:
                self.message_user(request, str(error.message), messages.WARNING)
            else:
                self.message_user(
                    request,
                    _(
                        "Năm %(year)s: đã đề xuất %(n)s ngày; hãy kiểm tra trước khi xác nhận."
                    )
                    % {"year": year.year, "n": created},
                    messages.SUCCESS,
                )
