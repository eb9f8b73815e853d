"""
The Decision 766 indicators: the one thing of the supervision app an
administrator edits (maximum points, targets, in use or not), because the
official text may change. Each change is recorded in the audit log.
"""

from django.contrib import admin, messages
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "group", "max_score", "target", "is_active"]
    list_display_links = ["number", "name"]
    list_editable = ["max_score", "target", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["order", "code"]
    readonly_fields = ["code"]
    fields = [
        "code",
        "number",
        "group",
        "name",
        "max_score",
        "target",
        "order",
        "is_active",
        "basis",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code ties a row to its computation: fixed once created.
        return self.readonly_fields if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event_type=AuditEvent.SETTINGS,
            actor=request.user,
            target=obj,
            extra={
                "indicator": obj.code,
                "changed": form.changed_data,
                "max_score": str(obj.max_score),
                "target": str(obj.target) if obj.target is not None else None,
                "is_active": obj.is_active,
            },
        )

    def changelist_view(self, request, extra_context=None):
        total = (
            Indicator.objects.filter(is_active=True).aggregate(t=Sum("max_score"))["t"]
            or 0
        )
        if total != 100:
            messages.warning(
                request,
                _(
                    "Tổng điểm tối đa của các chỉ số đang áp dụng là %(total)s, không phải 100."
                )
                % {"total": total},
            )
        return super().changelist_view(request, extra_context)
