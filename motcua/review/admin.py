"""
The data of the compliance cost model, edited by administrators: the wage
rate of each year and the cost items of each procedure (each change in the
audit log). Rounds and proposals are read-only here: they change through
the review pages, which check who decides.
"""

from django.contrib import admin

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record

from .models import CostItem, Proposal, ReviewRound, WageRate


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            event_type=AuditEvent.SETTINGS,
            actor=request.user,
            target=obj,
            extra={"changed": form.changed_data, "value": str(obj)},
        )

    def delete_model(self, request, obj):
        audit_record(
            event_type=AuditEvent.SETTINGS,
            actor=request.user,
            target=obj,
            extra={"deleted": str(obj)},
        )
        super().delete_model(request, obj)


@admin.register(WageRate)
class WageRateAdmin(AuditedAdmin):
    list_display = ["year", "hourly_wage", "source"]
    fields = ["year", "hourly_wage", "source"]


@admin.register(CostItem)
class CostItemAdmin(AuditedAdmin):
    list_display = ["procedure", "kind", "name", "hours", "amount"]
    list_filter = ["kind"]
    search_fields = ["procedure__search_name", "name"]
    autocomplete_fields = ["procedure"]
    fields = ["procedure", "kind", "name", "hours", "amount"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "kind", "status", "yearly_saving", "round"]
    list_filter = ["round", "kind", "status"]
