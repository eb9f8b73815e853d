"""
Payments in the admin: read-only. Money moves only through the services
(signed callbacks, refunds with their rules), never by editing a row.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import PaymentIntent, ProviderTransaction, Receipt, Refund


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransactionInline(admin.TabularInline):
    model = ProviderTransaction
    fields = [
        "transaction_id",
        "result",
        "response_code",
        "outcome",
        "amount",
        "paid_at",
        "received_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "dossier",
        "amount",
        "provider",
        "channel",
        "status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "provider", "channel"]
    search_fields = ["reference", "dossier__code", "transactions__transaction_id"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    readonly_fields = [
        "uuid",
        "reference",
        "dossier",
        "fees",
        "amount",
        "currency",
        "provider",
        "channel",
        "status",
        "status_note",
        "return_url",
        "expires_at",
        "started_by",
        "started_by_label",
        "paid_at",
        "created_at",
        "updated_at",
    ]
    inlines = [TransactionInline]


@admin.register(ProviderTransaction)
class ProviderTransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "transaction_id",
        "provider",
        "intent",
        "amount",
        "result",
        "outcome",
        "paid_at",
        "received_at",
    ]
    list_filter = ["provider", "result", "outcome"]
    search_fields = ["transaction_id", "intent__reference", "intent__dossier__code"]
    date_hierarchy = "received_at"
    list_select_related = ["intent"]
    readonly_fields = [
        "provider",
        "transaction_id",
        "intent",
        "amount",
        "currency",
        "result",
        "response_code",
        "outcome",
        "params",
        "params_digest",
        "paid_at",
        "received_at",
    ]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "agency",
        "dossier",
        "payer_name",
        "amount",
        "issued_at",
        "pdf_link",
    ]
    list_filter = ["year", "agency"]
    search_fields = ["number", "dossier__code", "payer_name", "payer_id_number"]
    date_hierarchy = "issued_at"
    list_select_related = ["agency", "dossier"]
    readonly_fields = [
        "number",
        "agency",
        "year",
        "sequence",
        "dossier",
        "intent",
        "transaction",
        "payer_name",
        "payer_id_number",
        "payer_address",
        "items",
        "amount",
        "amount_in_words",
        "issued_at",
        "pdf_link",
    ]

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: Receipt) -> str:
        url = reverse("payments:receipt-pdf", args=[obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Tải biên lai"))


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "dossier",
        "fee",
        "amount",
        "provider",
        "rule",
        "status",
        "created_at",
        "completed_at",
    ]
    list_filter = ["status", "provider", "rule", "ending"]
    search_fields = ["reference", "dossier__code", "provider_refund_id"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier", "fee"]
    readonly_fields = [
        "reference",
        "dossier",
        "fee",
        "intent",
        "transaction",
        "provider",
        "amount",
        "ending",
        "rule",
        "basis",
        "reason",
        "status",
        "provider_refund_id",
        "failure_message",
        "requested_by",
        "requested_by_label",
        "completed_at",
        "created_at",
    ]
