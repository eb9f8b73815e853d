"""Admin of the notification outbox and the reminder register (read-only)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.core.outbox_admin import OutboxAdmin, ReadOnlyAdmin

from .models import Notification, Reminder
from .services import notification_retry


@admin.register(Notification)
class NotificationAdmin(OutboxAdmin):
    list_display = [
        "pk",
        "kind",
        "channel",
        "recipient",
        "dossier",
        "status_badge",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "channel", "kind", "audience"]
    search_fields = ["recipient", "dossier__code", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = ["dossier"]

    @admin.action(
        description=_("Gửi lại các thông báo lỗi hoặc đã dừng"), permissions=["retry"]
    )
    def retry(self, request, queryset):
        count = notification_retry(queryset)
        self.message_user(
            request,
            _("%(count)d thông báo được đưa lại hàng đợi gửi.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "kind", "threshold_at", "created_at", "recipients"]
    list_filter = ["kind"]
    search_fields = ["dossier__code"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
