"""
Dossiers in the admin are read-only: every change goes through the services
(and the staff UI or API that call them), so that it is authorised and recorded.
"""

from django.contrib import admin

from .models import (
    Consultation,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierStep,
    Extension,
    HandOver,
    ResultCorrection,
    SupplementRequest,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ComponentInline(ReadOnlyInline):
    model = DossierComponent
    fields = [
        "order",
        "name",
        "copy_type",
        "source",
        "is_digitized",
        "is_reused",
        "reuse_reference",
        "page_count",
    ]


class FeeInline(ReadOnlyInline):
    model = DossierFee
    fields = ["name", "amount", "stage", "status", "paid_at", "payment_reference"]


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = [
        "order",
        "block",
        "name",
        "agency",
        "assignee",
        "status",
        "started_at",
        "due_at",
        "completed_at",
        "timeliness",
    ]


class HandOverInline(ReadOnlyInline):
    model = HandOver
    fields = [
        "handed_at",
        "kind",
        "from_agency",
        "to_agency",
        "giver",
        "receiver",
        "step_due_at",
        "timeliness",
        "note",
    ]


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = [
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor_label",
        "agency",
        "note",
        "due_at",
    ]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "applicant_name",
        "procedure_version",
        "status",
        "channel",
        "received_at",
        "due_at",
        "timeliness",
    ]
    list_filter = [
        "status",
        "channel",
        "timeliness",
        "receiving_centre",
        "competent_agency",
    ]
    search_fields = ["code", "applicant_search", "applicant_id_number", "portal_id"]
    date_hierarchy = "submitted_at"
    list_select_related = ["procedure_version__procedure"]
    inlines = [ComponentInline, FeeInline, StepInline, HandOverInline, EventInline]
    readonly_fields = [f.name for f in Dossier._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupplementRequest, Extension, Consultation, ResultCorrection)
class DossierRecordAdmin(admin.ModelAdmin):
    list_display = ["__str__"]
    search_fields = ["dossier__code"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
