"""Admin of the portal outbox: read-only, with a retry action for stuck updates."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox_admin import OutboxAdmin

from .models import PortalSyncMessage
from .portal.services import portal_sync_retry


@admin.register(PortalSyncMessage)
class PortalSyncMessageAdmin(OutboxAdmin):
    list_display = [
        "pk",
        "portal_code",
        "kind",
        "portal_status",
        "status_badge",
        "attempts",
        "created_at",
        "sent_at",
        "latency_seconds",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind", "duplicate_ack"]
    search_fields = ["portal_code", "idempotency_key", "dossier__code"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    exclude = ["payload"]
    readonly_fields = ["pretty_payload"]

    @admin.display(description=_("dữ liệu gửi"))
    def pretty_payload(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2)
        )

    @admin.action(
        description=_("Gửi lại các bản ghi lỗi hoặc đã dừng"), permissions=["retry"]
    )
    def retry(self, request, queryset):
        count = portal_sync_retry(queryset)
        self.message_user(
            request,
            _("%(count)d bản ghi được đưa lại hàng đợi gửi.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
