"""What every outbox admin shares: read-only rows, a coloured status, a retry right."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .outbox import OutboxStatus

STATUS_COLOURS = {
    OutboxStatus.PENDING: "#555",
    OutboxStatus.SENDING: "#205493",
    OutboxStatus.SENT: "#2e7d32",
    OutboxStatus.FAILED: "#b26a00",
    OutboxStatus.DEAD: "#b00020",
}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services only: viewable, never added, edited or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OutboxAdmin(ReadOnlyAdmin):
    """An outbox table: dead rows stand out; retrying needs the change right."""

    @admin.display(description=_("tình trạng"), ordering="status")
    def status_badge(self, obj: Any) -> str:
        return format_html(
            '<strong style="color:{}">{}</strong>',
            STATUS_COLOURS.get(obj.status, "#000"),
            obj.get_status_display(),
        )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
