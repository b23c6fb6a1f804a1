"""Admin for users, with their role and scope anchor, and their API tokens (revoke only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.users.services import user_refusals, user_save
from core.admin import HistoryAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin, HistoryAdmin):
    list_display = ["username", "email", "role", "bso", "country", "region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["bso", "country", "region"]
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "programs"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "bso", "programs", "country", "region"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Checked(form):
            def _post_clean(self):
                # the instance holds the form's values now: refuse what user_save would
                super()._post_clean()
                for field, message in user_refusals(user=self.instance, by=request.user).items():
                    self.add_error(field if field in self.fields else None, message)

        return Checked

    def save_model(self, request, obj, form, change):
        # The same rules as the users page: anchors of other roles cleared, no self-lockout,
        # a deactivation revokes the user's API tokens (the programs are saved after this).
        user_save(user=obj, by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by signing in, never here; an administrator may revoke (delete) one."""

    list_display = ["prefix", "user", "created_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at"]
    exclude = ["digest", "password_fingerprint"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
