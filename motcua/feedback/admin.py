"""
Ratings and PAKN in the admin are read-only: ratings come only from citizens
and PAKN change only through the services (and the staff pages that call
them), so that every step is authorised and recorded.
"""

from django.contrib import admin

from .models import (
    Feedback,
    FeedbackEvent,
    Rating,
    RatingAgency,
    RatingAnswer,
    RatingOfficer,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline):
    model = RatingAnswer
    fields = ["criterion", "level", "points"]


class RatingAgencyInline(ReadOnlyInline):
    model = RatingAgency
    fields = ["agency"]


class RatingOfficerInline(ReadOnlyInline):
    model = RatingOfficer
    fields = ["officer", "agency"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "channel", "submitted_at", "mean_level", "counts"]
    list_filter = ["channel", "counts", "satisfied", "dissatisfied"]
    search_fields = ["dossier__code"]
    date_hierarchy = "submitted_at"
    list_select_related = ["dossier"]
    inlines = [AnswerInline, RatingAgencyInline, RatingOfficerInline]
    exclude = ["client_token"]


class FeedbackEventInline(ReadOnlyInline):
    model = FeedbackEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor_label", "note"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "title",
        "status",
        "category",
        "agency",
        "submitted_at",
        "answer_due_at",
    ]
    list_filter = ["status", "category", "channel"]
    search_fields = ["code", "title"]
    date_hierarchy = "submitted_at"
    list_select_related = ["agency"]
    inlines = [FeedbackEventInline]
    exclude = ["secret"]
