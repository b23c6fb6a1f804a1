"""Admin for users, with their role and scope anchor."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "bso", "country", "region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["bso", "country", "region"]
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "programs"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "bso", "programs", "country", "region"]}),
    ]
