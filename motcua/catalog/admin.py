"""
Administration of the procedure catalog.

Published and retired versions are read-only here: they change only through
a new draft (action "Tạo phiên bản mới") that is then published (action
"Công bố"). Saving a draft goes through the catalog services, which refuse
edits to any other version.
"""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core.exceptions import DomainError
from motcua.core.text import fold

from .constants import ImplementingLevel, VersionStatus
from .models import (
    Component,
    FeeItem,
    ParticipantTemplate,
    Procedure,
    ProcedureVersion,
    ResultType,
    Sector,
    StepTemplate,
)
from .services import (
    VersionNotPublishable,
    version_child_delete,
    version_child_save,
    version_create_draft,
    version_publish,
    version_update,
)


class FoldedSearchMixin:
    """Search ``search_name`` with the folded terms: "dang ky" finds "Đăng ký"."""

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset, False


@admin.register(Sector)
class SectorAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "procedure_count"]
    search_fields = ["search_name"]
    search_help_text = _("Tìm theo tên lĩnh vực, gõ có dấu hoặc không dấu.")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(procedure_total=Count("procedure"))
        )

    @admin.display(description=_("số thủ tục"), ordering="procedure_total")
    def procedure_count(self, obj: Sector) -> int:
        return getattr(obj, "procedure_total", 0)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("number", "status", "duration_label", "published_at", "import_source")
    readonly_fields = (
        "number",
        "status",
        "duration_label",
        "published_at",
        "import_source",
    )
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("các phiên bản")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("thời hạn"))
    def duration_label(self, obj: ProcedureVersion) -> str:
        return obj.duration_label


@admin.register(Procedure)
class ProcedureAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "sector", "issuing_body", "status_in_force"]
    list_filter = ["sector", "issuing_body"]
    list_select_related = ["sector"]
    search_fields = ["search_name"]
    search_help_text = _("Tìm theo mã hoặc tên thủ tục, gõ có dấu hoặc không dấu.")
    readonly_fields = ["created_at", "updated_at"]
    autocomplete_fields = ["sector"]
    filter_horizontal = ["agencies"]
    inlines = [VersionInline]
    actions = ["create_draft"]

    @admin.display(description=_("phiên bản đang công bố"))
    def status_in_force(self, obj: Procedure) -> str:
        numbers = [
            v.number for v in obj.versions.all() if v.status == VersionStatus.PUBLISHED
        ]
        return f"v{numbers[0]}" if numbers else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    @admin.action(description=_("Tạo phiên bản mới (dự thảo)"))
    def create_draft(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            draft = version_create_draft(procedure, actor=request.user)
            self.message_user(
                request,
                _("%(code)s: đã tạo phiên bản %(number)s.")
                % {"code": procedure.code, "number": draft.number},
                messages.SUCCESS,
            )


class DraftOnlyInline(admin.options.InlineModelAdmin):
    """An inline editable only while its version is a draft, saved through services."""

    extra = 0

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ParticipantInline(DraftOnlyInline, admin.TabularInline):
    model = ParticipantTemplate
    fields = ["stage", "role", "agency_kind", "branch", "work", "result_type_code"]


class StepInline(DraftOnlyInline, admin.TabularInline):
    model = StepTemplate
    fields = [
        "order",
        "name",
        "kind",
        "unit_role",
        "participant",
        "role",
        "allotted_value",
        "allotted_unit",
        "notify_applicant",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant":
            # Only the participants of the version being edited can be chosen.
            version_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ParticipantTemplate.objects.filter(
                version_id=version_id
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ComponentInline(DraftOnlyInline, admin.StackedInline):
    model = Component
    fields = [
        ("order", "code", "required", "copy_type", "count"),
        "name",
        "case",
        ("reusable_source", "result_type_code", "presented_only"),
        "note",
    ]


class FeeInline(DraftOnlyInline, admin.TabularInline):
    model = FeeItem
    fields = ["code", "name", "kind", "amount", "channel", "stage", "note"]


class ResultTypeInline(DraftOnlyInline, admin.TabularInline):
    model = ResultType
    fields = ["code", "name", "validity"]


class LevelFilter(admin.SimpleListFilter):
    """Filter versions by implementing level (a list stored as JSON)."""

    title = _("cấp thực hiện")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return ImplementingLevel.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # JSON containment is not portable (no "contains" on SQLite): filter
        # the few thousand small lists in Python instead.
        ids = [
            pk
            for pk, levels in queryset.values_list("pk", "levels")
            if self.value() in (levels or [])
        ]
        return queryset.filter(pk__in=ids)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = [
        "procedure_code",
        "number",
        "name",
        "status",
        "duration_label",
        "import_source",
    ]
    list_filter = [
        "status",
        "duration_unit",
        LevelFilter,
        ("procedure__agencies", admin.RelatedOnlyFieldListFilter),
        "procedure__sector",
        "import_source",
    ]
    list_select_related = ["procedure"]
    search_fields = ["procedure__search_name"]
    search_help_text = _("Tìm theo mã hoặc tên thủ tục, gõ có dấu hoặc không dấu.")
    autocomplete_fields = ["procedure"]
    readonly_fields = [
        "status",
        "published_at",
        "import_source",
        "import_notes",
        "created_at",
        "updated_at",
    ]
    # Participants first: steps saved in the same request may refer to them.
    inlines = [
        ParticipantInline,
        StepInline,
        ComponentInline,
        FeeInline,
        ResultTypeInline,
    ]
    actions = ["publish"]
    fieldsets = [
        (None, {"fields": ["procedure", "number", "status", "name", "import_notes"]}),
        (
            _("Thời hạn"),
            {
                "fields": [
                    ("duration_value", "duration_unit", "cutoff_time"),
                    "duration_text",
                ]
            },
        ),
        (
            _("Thông tin chung"),
            {
                "fields": [
                    "decision_number",
                    "levels",
                    "procedure_type",
                    ("competent_agency_kind", "competent_branch"),
                    "competent_agency_text",
                    "implementing_agency_text",
                    "applicant_types",
                    ("channels", "online_level", "boundary_free", "is_inter_agency"),
                    ("valid_from", "valid_to", "published_at"),
                ]
            },
        ),
        (
            _("Nội dung theo danh mục"),
            {
                "classes": ["collapse"],
                "fields": [
                    "conditions",
                    "legal_basis",
                    "result_text",
                    "steps_text",
                    "components_text",
                    "fees_text",
                    "source_url",
                    "import_source",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    @admin.display(description=_("mã thủ tục"), ordering="procedure__code")
    def procedure_code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.code

    @admin.display(description=_("thời hạn"))
    def duration_label(self, obj: ProcedureVersion) -> str:
        return obj.duration_label

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            queryset = queryset.filter(procedure__search_name__contains=word)
        return queryset, False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A version stays with its procedure and number once created.
        return [*fields, "procedure", "number"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        version_update(
            obj,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            version_child_delete(deleted, actor=request.user)
        for instance in instances:
            version_child_save(instance, actor=request.user)
        formset.save_m2m()

    @admin.action(description=_("Công bố"))
    def publish(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]
    ) -> None:
        published = 0
        for version in queryset.select_related("procedure"):
            label = f"{version.procedure.code} v{version.number}"
            try:
                version_publish(version, actor=request.user)
            except VersionNotPublishable as error:
                for problem in error.problems:
                    self.message_user(
                        request, f"{label}: {problem.message}", messages.ERROR
                    )
            except DomainError as error:
                self.message_user(request, f"{label}: {error.message}", messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "Đã công bố %(count)d phiên bản.",
                    "Đã công bố %(count)d phiên bản.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )
