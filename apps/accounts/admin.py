from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "jurisdiction", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "jurisdiction"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["person"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Platform"), {"fields": ("full_name", "phone", "jurisdiction", "person", "handling_unit",
                                    "must_change_password")}),
    )
