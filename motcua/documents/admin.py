"""
Read-only admin for files, e-results and the personal data store: every
write goes through the services (signed content never changes).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DossierFile, ResultDocument, StoredFile, StoreEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "kind",
        "content_type",
        "page_count",
        "size",
        "signed",
        "created_at",
    )
    list_filter = ("kind", "content_type", "signed")
    search_fields = ("sha256", "original_name")
    date_hierarchy = "created_at"


@admin.register(DossierFile)
class DossierFileAdmin(ReadOnlyAdmin):
    list_display = (
        "dossier",
        "name",
        "kind",
        "page_count",
        "is_current",
        "attached_at",
    )
    list_filter = ("kind", "is_current")
    search_fields = ("dossier__code", "name", "reference")
    raw_id_fields = ("dossier", "component", "file", "store_entry")


@admin.register(ResultDocument)
class ResultDocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "ten_giay_to",
        "kind",
        "issuing_agency",
        "signed_at",
        "is_current",
        "verify_link",
    )
    list_filter = ("kind", "supersede_reason", "issuing_agency")
    search_fields = ("code", "so_dinh_danh", "ho_ten", "dossier__code")
    date_hierarchy = "signed_at"
    raw_id_fields = ("dossier", "file", "superseded_by")

    @admin.display(boolean=True, description=_("còn hiệu lực"))
    def is_current(self, obj):
        return obj.is_current

    @admin.display(description=_("kiểm tra"))
    def verify_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("verify:document", args=[obj.code]), _("mở")
        )


@admin.register(StoreEntry)
class StoreEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id_number",
        "document_code",
        "ten_giay_to",
        "source",
        "is_current",
        "thoi_han_hieu_luc",
        "added_at",
    )
    list_filter = ("source", "is_current")
    search_fields = ("id_number", "document_code", "owner_name", "ma_loai_giay_to")
    raw_id_fields = ("result_document", "file")
