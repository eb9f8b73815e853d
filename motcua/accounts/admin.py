"""
Admin for staff accounts. Users and memberships are edited here; API tokens
are created by ``motcua create-api-token`` (the raw token is shown once) and
only revoked here; login attempts are read-only evidence.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AdminLoginForm
from .models import ApiToken, LoginAttempt, StaffMembership, User
from .services import api_token_revoke

# The admin login counts against the same limit as the staff login: the
# administrator's account is the one most worth guessing.
admin.site.login_form = AdminLoginForm


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    fields = ("agency", "role", "title", "valid_from", "valid_to", "is_active")
    # Thousands of agencies: a lookup by id, not a drop-down of every one.
    raw_id_fields = ("agency",)
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [MembershipInline]
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Quyền"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # Adding a user is one short step (name and password); memberships
        # come after, on the change page the add page leads to.
        return self.inlines if obj is not None else []


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "agency",
        "role",
        "title",
        "valid_from",
        "valid_to",
        "is_active",
    )
    list_filter = (
        "role",
        "is_active",
        # Only the agencies that have staff, not the province's whole list.
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__username", "user__full_name", "agency__name", "title")
    raw_id_fields = ("user", "agency", "seconded_from")
    list_select_related = ("user", "agency")
    date_hierarchy = "valid_from"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "user",
        "is_portal",
        "created_at",
        "expires_at",
        "last_used_at",
        "status",
    )
    list_filter = ("is_portal", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("prefix", "name", "user__username", "user__full_name")
    list_select_related = ("user",)
    fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "is_portal",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("tình trạng"))
    def status(self, obj: ApiToken) -> str:
        if obj.revoked_at:
            return str(_("Đã thu hồi"))
        if obj.expires_at and obj.expires_at <= timezone.now():
            return str(_("Hết hạn"))
        return str(_("Đang dùng"))

    @admin.action(description=_("Thu hồi các khóa API đã chọn"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token, revoked_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Đã thu hồi %(count)d khóa API.",
                "Đã thu hồi %(count)d khóa API.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        # The raw token must be shown exactly once: motcua create-api-token.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing is edited in place; revoking is the only change.
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.change_apitoken")

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay as evidence of who could call the API when.
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("attempted_at", "username", "ip_address", "succeeded")
    list_filter = ("succeeded",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempted_at"
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
